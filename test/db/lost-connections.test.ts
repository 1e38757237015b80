/**
 * Connections the server cuts (Neon suspending an idle compute, a restart, an operator's
 * pg_terminate_backend) while clients keep reading: the pool's reads are tried again on
 * another connection, so no client sees an error. pg and the Neon driver (through the
 * WebSocket proxy); PGlite has no connections to lose.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies } from '../../src/db/schema.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app.js';
import { testDriver } from '../helpers/database.js';

const serverDriver = testDriver !== 'pglite';
let t: TestApp;
let admin: pg.Client;

beforeAll(async () => {
  if (!serverDriver) return;
  t = await startTestApp({ RATE_LIMIT: 'false', DB_POOL_MAX: '4' });
  await t.app.database.db
    .insert(companies)
    .values(Array.from({ length: 12 }, (_, i) => ({ name: `Company ${i}` })));
  admin = new pg.Client({ connectionString: t.database.url });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  await t?.close();
});

/** Ends every connection of the service to its database (not the test's own); how many there were. */
async function terminateServiceConnections(...spare: pg.Client[]): Promise<number> {
  const pids = [admin, ...spare].map((client) => (client as unknown as { processID: number }).processID);
  const { rows } = await admin.query<{ ended: boolean }>(
    `select pg_terminate_backend(pid) as ended from pg_stat_activity
      where datname = current_database() and not (pid = any($1::int[]))`,
    [pids],
  );
  return rows.filter((row) => row.ended).length;
}

const reads = [
  // Compiled: one JSON-building statement.
  '{ companies(first: 5) { totalCount edges { node { name } } } }',
  // The resolvers (an admin-only field, refused to guests as null): Drizzle's selects.
  '{ companies(first: 3) { edges { node { name createdBy { id } } } } }',
];

describe.skipIf(!serverDriver)('connections cut under read load', () => {
  it('are replaced, and every read answers without an error', async () => {
    const answers: GraphQLResponse[] = [];
    let cut = 0;
    let terminations = 0;
    const clients = Array.from({ length: 8 }, async (_, client) => {
      for (let n = 0; n < 30; n++) {
        answers.push(await t.gql(reads[(client + n) % reads.length]!));
        // Every 40 answers, cut every connection the pool holds while the others are in flight.
        if (answers.length % 40 === 0) {
          terminations += 1;
          cut += await terminateServiceConnections();
        }
      }
    });
    await Promise.all(clients);
    expect(terminations).toBe(6);
    // The cuts hit connections in use or idle in the pool, not an empty server.
    expect(cut).toBeGreaterThanOrEqual(terminations);
    const failed = answers.filter((answer) => answer.status !== 200 || answer.body.errors);
    expect(failed.map((answer) => answer.body.errors)).toEqual([]);
    expect(answers).toHaveLength(240);
  });

  it('leaves a write that lost its connection failed, as SERVICE_UNAVAILABLE, never tried twice', async () => {
    // A statement held by a lock, then its connection cut: a retry could not know whether it committed.
    const locker = new pg.Client({ connectionString: t.database.url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table users in access exclusive mode');
      const account = t.gql('mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }', {
        input: { name: 'Cut Off', email: `cut-${Date.now()}@example.com`, password: 'correct horse battery' },
      });
      // Wait until the service's insert is waiting on the lock, then cut it.
      for (;;) {
        const { rows } = await admin.query<{ waiting: number }>(
          `select count(*)::int as waiting from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into "users"%'`,
        );
        if (rows[0]!.waiting > 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await terminateServiceConnections(locker);
      const { body } = await account;
      expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
    }
    const { rows } = await admin.query<{ n: number }>(
      "select count(*)::int as n from users where name = 'Cut Off'",
    );
    expect(rows[0]!.n).toBe(0);
  });
});
