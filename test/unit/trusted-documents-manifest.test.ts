import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTrustedDocuments, manifestPath } from '../../src/http/trusted-documents.js';

const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const manifestWith = (text: string) => {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, text);
  return path;
};
const id = `sha256:${'a'.repeat(64)}`;

describe('loading the trusted-documents manifest', () => {
  it('reads the one codegen wrote into schema/', () => {
    expect(manifestPath).toMatch(/schema\/persisted-documents\.json$/);
    const documents = loadTrustedDocuments();
    expect(documents.size).toBeGreaterThan(0);
    for (const [key, text] of documents) {
      expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(text).toMatch(/^(fragment|query|mutation)/);
    }
  });

  it('maps ids to documents', () => {
    expect([...loadTrustedDocuments(manifestWith(JSON.stringify({ [id]: '{ __typename }' })))]).toEqual([
      [id, '{ __typename }'],
    ]);
  });

  it('stops the start with the path and the way out when the manifest is missing', () => {
    const missing = join(dir, 'missing.json');
    expect(() => loadTrustedDocuments(missing)).toThrow(
      new RegExp(`cannot read ${missing} \\(\`npm run codegen\` writes it\\)`),
    );
  });

  it.each([
    ['not JSON', '{', /cannot read/],
    ['an array', '[]', /is not a manifest/],
    ['an id of another shape', JSON.stringify({ abc: '{ __typename }' }), /is not a manifest.*sha256/],
    ['an empty document', JSON.stringify({ [id]: '' }), /is not a manifest/],
  ])('refuses %s', (_name, text, error) => {
    expect(() => loadTrustedDocuments(manifestWith(text))).toThrow(error);
  });
});
