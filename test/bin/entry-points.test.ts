/**
 * The built commands (`node dist/bin/*.js`, what the image runs) start, read their arguments,
 * environment and stdin, and reach the database. What each command does is tested in
 * process (test/db/migrate.test.ts, test/db/seed-cli.test.ts, test/auth/admin.test.ts);
 * the driver does not matter here, so this runs once, on PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manyAccountsEnv } from '../helpers/accounts.js';
import { runNode } from '../helpers/commands.js';
import { createTestDatabase, testDriver, type TestDatabase } from '../helpers/database.js';

describe.runIf(testDriver === 'pglite')('the built entry points', () => {
  let database: TestDatabase;
  const run = (name: string, args: string[] = [], stdin = '') =>
    runNode([`dist/bin/${name}.js`, ...args], { ...manyAccountsEnv, ...database.env }, stdin);

  beforeAll(async () => {
    // `npm start`'s own step: compiles only when a source file is newer than dist/.
    const build = await runNode(['scripts/build-if-stale.mjs'], {});
    if (build.code !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it('db-migrate', async () => {
    expect(await run('db-migrate')).toEqual({ code: 0, stdout: 'migrations applied (pglite)\n', stderr: '' });
  });

  it('db-seed', async () => {
    const result = await run('db-seed');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /^curated set: [1-9]\d* companies and [1-9]\d* acquisitions added \(pglite\)\n$/,
    );
  });

  it('admin-create, with the password piped on stdin', async () => {
    const result = await run(
      'admin-create',
      ['--email', 'ada@example.com', '--name', 'Ada Admin'],
      'a piped admin password\nignored second line\n',
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^admin created: ada@example.com \(user \d+\)\n$/);
  });
});
