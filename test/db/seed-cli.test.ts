/** `npm run db:seed` (src/db/seed-cli.ts), in process against the suite's database driver. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCommand } from '../../src/db/seed-cli.js';
import { manyAccountsEnv } from '../helpers/accounts.js';
import { hashPassword, runInProcess } from '../helpers/commands.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
let env: Record<string, string>;

function seed(args: string[] = []) {
  return runInProcess((stdout) => seedCommand(args, env, { stdout, hashPassword }), env);
}

beforeAll(async () => {
  database = await createTestDatabase();
  env = { NODE_ENV: 'test', ...manyAccountsEnv, ...database.env };
});
afterAll(() => database?.drop());

describe('npm run db:seed', () => {
  it('loads the curated set, then adds nothing on a second run', async () => {
    const first = await seed();
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^curated set: \d+ companies and \d+ acquisitions added/);
    expect(first.stdout).not.toMatch(/: 0 companies/);
    const second = await seed();
    expect(second.stdout).toMatch(/^curated set: 0 companies and 0 acquisitions added/);
  });

  it('generates a bulk set only into empty tables, or with --reset', async () => {
    const refused = await seed(['--companies', '20', '--acquisitions', '50']);
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Error: the companies table is not empty: pass --reset to replace its companies and acquisitions\n',
    });

    const bulk = await seed(['--companies', '20', '--acquisitions', '50', '--users', '2', '--reset']);
    expect(bulk).toMatchObject({ code: 0, stderr: '' });
    expect(bulk.stdout).toMatch(/^bulk set: 20 companies, 50 acquisitions, 2 users in \d+\.\d s/);
  });

  it('says which argument is wrong', async () => {
    const result = await seed(['--companies', 'many']);
    expect(result).toMatchObject({ code: 1, stderr: 'Error: --companies must be a whole number\n' });
  });
});
