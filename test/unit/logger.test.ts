import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ log: { level: 'info', pretty: false } }, sink) };
}

it('redacts passwords, tokens, cookies and authorization headers at any usual depth', () => {
  const { lines, logger } = capture();
  logger.info(
    {
      password: 'hunter2-top',
      req: {
        headers: { authorization: 'Bearer eyJ.secret', cookie: 'token=abc.def', 'x-api-key': 'ak_live_1' },
      },
      graphql: {
        variables: { input: { email: 'a@b.co', password: 'hunter2-nested', currentPassword: 'old-pw-1' } },
      },
      payload: { token: 'jwt-value' },
    },
    'something happened',
  );
  const out = lines.join('');
  for (const secret of [
    'hunter2-top',
    'eyJ.secret',
    'token=abc.def',
    'ak_live_1',
    'hunter2-nested',
    'old-pw-1',
    'jwt-value',
  ]) {
    expect(out).not.toContain(secret);
  }
  expect(out).toContain('a@b.co');
  expect(out).toContain('[redacted]');
});
