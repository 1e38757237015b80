import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('migrates an empty database to the current schema', async () => {
  const { rows } = (await t.app.database.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
  )) as unknown as { rows: { table_name: string }[] };
  expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['sessions', 'users']));
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
