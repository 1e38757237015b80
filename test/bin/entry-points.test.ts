/**
 * The built entry points, what `npm start` and the image run: the server (`node dist/index.js`)
 * starts, serves and stops on SIGTERM, or refuses a bad configuration in one line; the commands
 * (`node dist/bin/*.js`) read their arguments, environment and stdin and reach the database.
 * What each command does is tested in process (test/db/migrate.test.ts,
 * test/db/seed-cli.test.ts, test/auth/admin.test.ts); the driver does not matter here, so
 * this runs once, on PGlite.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manyAccountsEnv } from '../helpers/accounts.js';
import { runNode } from '../helpers/commands.js';
import { createTestDatabase, testDriver, type TestDatabase } from '../helpers/database.js';
import { closedPort } from '../helpers/ports.js';

interface ServerRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built server with only `env` set; `onReady` is called once it logs that it listens. */
function runServer(env: Record<string, string>, onReady?: (stop: () => void, out: string) => void) {
  return new Promise<ServerRun>((resolve) => {
    const child = spawn(process.execPath, ['dist/index.js'], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let ready = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      if (!ready && stdout.includes('acquisitions api listening')) {
        ready = true;
        onReady?.(() => child.kill('SIGTERM'), stdout);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.runIf(testDriver === 'pglite')('the built entry points', () => {
  beforeAll(async () => {
    // `npm start`'s own step: compiles only when a source file is newer than dist/.
    const build = await runNode(['scripts/build-if-stale.mjs'], {});
    if (build.code !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  });

  describe('the server', () => {
    it.each([
      [{ PORT: 'abc' }, 'PORT'],
      [{ DATABASE_URL: 'http://nope' }, 'DATABASE_URL'],
      [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@127.0.0.1:1/x' }, 'JWT_SECRET'],
    ])('refuses %o with one line and exit code 1', async (env, variable) => {
      const run = await runServer(env);
      expect(run.code).toBe(1);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${variable}`));
      expect(run.stderr).not.toMatch(/\s+at /);
    });

    it('prints why it cannot reach its database, without the password, and exits 1', async () => {
      const port = await closedPort();
      const run = await runServer({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: '0',
        DATABASE_DRIVER: 'pg',
        DATABASE_URL: `postgres://postgres:s3cret-pw@127.0.0.1:${port}/acquisitions`,
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`Error: database: connect ECONNREFUSED 127.0.0.1:${port}\n`);
      expect(run.stderr + run.stdout).not.toContain('s3cret-pw');
    });

    it('starts, serves /health/live and exits 0 on SIGTERM', async () => {
      let live = 0;
      const run = await runServer(
        { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', PGLITE_DATA_DIR: 'memory://' },
        (stop, out) => {
          const url = /"url":"([^"]+)"/.exec(out)?.[1];
          void fetch(`${url}/health/live`)
            .then((r) => (live = r.status))
            .finally(stop);
        },
      );
      expect(live).toBe(200);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('shutting down');
    });
  });

  describe('the commands', () => {
    let database: TestDatabase;
    const run = (name: string, args: string[] = [], stdin = '') =>
      runNode([`dist/bin/${name}.js`, ...args], { ...manyAccountsEnv, ...database.env }, stdin);

    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(() => database?.drop());

    it('db-migrate', async () => {
      expect(await run('db-migrate')).toEqual({
        code: 0,
        stdout: 'migrations applied (pglite)\n',
        stderr: '',
      });
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
});
