import { expect, it } from 'vitest';
import { belowSupportedNode } from '../../src/node-version.js';

it('tells the Node.js versions older than the one the service is shipped on', () => {
  expect(belowSupportedNode('20.19.2')).toBe(true);
  expect(belowSupportedNode('22.14.0')).toBe(true);
  expect(belowSupportedNode('22.15.0')).toBe(false);
  expect(belowSupportedNode('24.1.0')).toBe(false);
});
