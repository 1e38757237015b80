/**
 * A database that answers reads but refuses writes — full disk, read-only (issue 14, item
 * 9): writes get SERVICE_UNAVAILABLE (503), reads are still served, /health is degraded and
 * /health/ready keeps the instance in rotation.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminQuery, testDriver } from '../helpers/database.js';

const signUpMutation = (email: string) =>
  `mutation { signUp(input: { name: "Late Comer", email: "${email}", password: "a long enough password" }) { token } }`;
const read = '{ companies(first: 1) { totalCount } }';

async function health(t: TestApp, path: '/health' | '/health/ready') {
  const response = await fetch(`${t.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function expectRefusingWrites(t: TestApp, email: string) {
  const write = await t.gql(signUpMutation(email));
  expect(write.status).toBe(503);
  expect(write.headers.get('retry-after')).toBe('5');
  expect(write.body.errors?.[0]?.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryAfter: 5 });

  const reads = await t.gql(read);
  expect(reads.status).toBe(200);
  expect(reads.body.errors).toBeUndefined();

  expect(await health(t, '/health')).toMatchObject({
    status: 503,
    body: { status: 'degraded', checks: { database: { status: 'refusing-writes' } } },
  });
  expect(await health(t, '/health/ready')).toMatchObject({
    status: 200,
    body: { status: 'ok', checks: { database: { status: 'refusing-writes' } } },
  });
}

describe('a full disk', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('refuses writes with SERVICE_UNAVAILABLE and degrades /health, reads still served', async () => {
    expect((await health(t, '/health')).body).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'ok' } },
    });
    // What Postgres raises when it cannot extend a file (SQLSTATE 53100), on every insert.
    await t.app.database.db.execute(sql`
      create function disk_full() returns trigger language plpgsql as $$
      begin raise exception 'could not extend file: No space left on device' using errcode = 'disk_full'; end $$`);
    await t.app.database.db.execute(
      sql`create trigger disk_full before insert on users for each row execute function disk_full()`,
    );
    await expectRefusingWrites(t, 'full@example.com');
    expect(t.logs).toContainEqual(
      expect.objectContaining({ level: 40, msg: 'database unavailable', reason: 'disk-full' }),
    );
  });
});

describe.skipIf(testDriver === 'pglite')('a read-only database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('refuses writes with SERVICE_UNAVAILABLE and degrades /health, reads still served', async () => {
    const name = new URL(t.database.url as string).pathname.slice(1);
    await adminQuery(`alter database ${name} set default_transaction_read_only = on`);
    // The setting applies to new sessions: end the pool's, and wait until it has let them go.
    await adminQuery(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`,
    );
    await expect.poll(() => t.app.database.poolStats()?.total).toBe(0);
    await expectRefusingWrites(t, 'readonly@example.com');
  });
});
