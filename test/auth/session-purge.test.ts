/**
 * Sessions that can never be valid again (expired, idle past SESSION_IDLE_TTL, revoked) are
 * purged on a schedule (issue 14, item 12; issue 15);
 * live ones, and dead ones still within SESSION_RETENTION, are kept.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sessions } from '../../src/db/schema.js';
import { signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const hour = 3600_000;
let t: TestApp;
let account: TestAccount;

beforeAll(async () => {
  t = await startTestApp({ SESSION_PURGE_INTERVAL: '1s', SESSION_RETENTION: '1h' });
  account = await signUp(t, { name: 'Session Keeper' });
});
afterAll(() => t?.close());

it('deletes expired, idle and revoked sessions past the retention, and keeps the others', async () => {
  const now = Date.now();
  const idle = t.app.config.auth.session.idleTtlSeconds * 1000;
  const row = (note: string, expiresIn: number, revokedAgo?: number, lastUsedAgo = 0) => ({
    userId: account.userId,
    userAgent: note,
    expiresAt: new Date(now + expiresIn),
    lastUsedAt: new Date(now - lastUsedAgo),
    revokedAt: revokedAgo === undefined ? null : new Date(now - revokedAgo),
  });
  await t.app.database.db
    .insert(sessions)
    .values([
      row('expired long ago', -2 * hour),
      row('revoked long ago', 10 * hour, 2 * hour),
      row('idle long ago', 10 * hour, undefined, idle + 2 * hour),
      row('expired lately', -10 * 60_000),
      row('revoked lately', 10 * hour, 10 * 60_000),
      row('idle lately', 10 * hour, undefined, idle + 10 * 60_000),
      row('live', 10 * hour),
    ]);

  await expect
    .poll(() => t.logs.find((l) => l.msg === 'sessions: expired and revoked sessions purged'))
    .toMatchObject({ level: 30, purged: 3 });

  const left = (await t.app.database.db.select({ note: sessions.userAgent }).from(sessions)).map(
    (s) => s.note,
  );
  // The fifth is the sign-up's own session.
  expect(left).toHaveLength(5);
  expect(left).toEqual(expect.arrayContaining(['expired lately', 'revoked lately', 'idle lately', 'live']));
  expect(left).not.toContain('expired long ago');
  expect(left).not.toContain('revoked long ago');
  expect(left).not.toContain('idle long ago');
  // The account's session still works.
  const me = await t.gql<{ me: { id: string } }>('{ me { id } }', {}, account.headers);
  expect(me.body.data?.me.id).toBe(account.id);
});
