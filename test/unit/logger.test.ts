import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger, reopenLogFiles } from '../../src/logger.js';

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

it('names the service and its version on every line', () => {
  const { lines, logger } = capture();
  logger.info('hello');
  expect(JSON.parse(lines[0]!)).toMatchObject({
    service: 'acquisitions-api',
    version: expect.any(String),
    msg: 'hello',
  });
});

it('reopens LOG_DIR files on request, so logrotate can move them away (SIGHUP)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'acq-logs-'));
  const file = (name: string) => join(dir, name);
  // The files are written asynchronously: wait for what each step needs.
  const contains = (name: string, text: string) =>
    expect.poll(() => readFileSync(file(name), 'utf8')).toContain(text);
  try {
    const logger = createLogger({ log: { level: 'info', pretty: false, dir } });
    logger.info('before the rotation');
    await contains('combined.log', 'before the rotation');
    await expect.poll(() => existsSync(file('error.log'))).toBe(true);
    renameSync(file('combined.log'), file('combined.log.1'));
    logger.info('moved, not yet reopened');
    await contains('combined.log.1', 'moved, not yet reopened');
    reopenLogFiles();
    logger.info('after the rotation');
    await contains('combined.log', 'after the rotation');
    expect(readFileSync(file('combined.log'), 'utf8')).not.toContain('before the rotation');
    expect(readFileSync(file('combined.log.1'), 'utf8')).not.toContain('after the rotation');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
