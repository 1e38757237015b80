/** `npm run db:seed`, as a command in its own process against the suite's database driver. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manyAccountsEnv } from '../helpers/accounts.js';
import { createTestDatabase, testDriver } from '../helpers/database.js';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let databaseEnv: Record<string, string>;
let dropDatabase: () => Promise<void>;

function run(script: string, args: string[] = []): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...manyAccountsEnv, ...databaseEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  // The command runs in its own process, so PGlite needs a folder rather than memory.
  if (testDriver === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'acq-seed-'));
    databaseEnv = { PGLITE_DATA_DIR: dir };
    dropDatabase = () => rm(dir, { recursive: true, force: true });
  } else {
    const database = await createTestDatabase();
    databaseEnv = database.env;
    dropDatabase = database.drop;
  }
  const migrated = await run('src/db/migrate.ts');
  if (migrated.code !== 0) throw new Error(migrated.stderr);
});
afterAll(() => dropDatabase());

describe('npm run db:seed', () => {
  it('loads the curated set, then adds nothing on a second run', async () => {
    const first = await run('src/db/seed-cli.ts');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^curated set: \d+ companies and \d+ acquisitions added/);
    expect(first.stdout).not.toMatch(/: 0 companies/);
    const second = await run('src/db/seed-cli.ts');
    expect(second.stdout).toMatch(/^curated set: 0 companies and 0 acquisitions added/);
  });

  it('generates a bulk set only into empty tables, or with --reset', async () => {
    const refused = await run('src/db/seed-cli.ts', ['--companies', '20', '--acquisitions', '50']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'Error: the companies table is not empty: pass --reset to replace its companies and acquisitions\n',
    );

    const bulk = await run('src/db/seed-cli.ts', [
      '--companies',
      '20',
      '--acquisitions',
      '50',
      '--users',
      '2',
      '--reset',
    ]);
    expect(bulk).toMatchObject({ code: 0, stderr: '' });
    expect(bulk.stdout).toMatch(/^bulk set: 20 companies, 50 acquisitions, 2 users in \d+\.\d s/);
  });

  it('says which argument is wrong', async () => {
    const result = await run('src/db/seed-cli.ts', ['--companies', 'many']);
    expect(result).toMatchObject({ code: 1, stderr: 'Error: --companies must be a whole number\n' });
  });
});
