/** `npm run db:migrate` (src/db/migrate.ts), in process against the suite's database driver. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateCommand } from '../../src/db/migrate.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { runInProcess, type CommandResult } from '../helpers/commands.js';
import { createTestDatabase, testDriver, type TestDatabase } from '../helpers/database.js';

let empty: TestDatabase;
let migrated: CommandResult;
let t: TestApp;
beforeAll(async () => {
  empty = await createTestDatabase(testDriver, { empty: true });
  const env = { NODE_ENV: 'test', ...empty.env };
  migrated = await runInProcess((stdout) => migrateCommand(env, stdout), env);
  // The service does not migrate itself here: what it finds is the command's work.
  t = await startTestApp({ ...empty.env, MIGRATE_ON_START: 'false' });
});
afterAll(async () => {
  await t?.close();
  await empty?.drop();
});

it('migrates an empty database to the current schema', async () => {
  expect(migrated).toEqual({ code: 0, stdout: `migrations applied (${testDriver})\n`, stderr: '' });
  const { rows } = (await t.app.database.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
  )) as unknown as { rows: { table_name: string }[] };
  expect(rows.map((r) => r.table_name)).toEqual(
    expect.arrayContaining(['acquisitions', 'companies', 'sessions', 'users']),
  );
});

it('is idempotent: migrating again changes nothing', async () => {
  await expect(t.app.database.migrate()).resolves.toBeUndefined();
});

it('enforces case-insensitive email uniqueness in the database', async () => {
  const { db } = t.app.database;
  await db.execute(sql`insert into users (name, email, password_hash) values ('A', 'Ann@Example.com', 'x')`);
  await expect(
    db.execute(sql`insert into users (name, email, password_hash) values ('B', 'ann@example.COM', 'x')`),
  ).rejects.toThrow();
});
