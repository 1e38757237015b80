/**
 * The built entry points, what `npm start` and the image run: the server (`node dist/index.js`)
 * starts, serves and stops on SIGTERM, or refuses a bad configuration in one line; the commands
 * (`node dist/bin/*.js`) read their arguments, environment and stdin and reach the database.
 * What each command does is tested in process (test/db/migrate.test.ts,
 * test/db/seed-cli.test.ts, test/auth/admin.test.ts), so this file runs once, in the PGlite
 * project; only the bundle's check starts the server on each driver the run has, since each
 * driver is a chunk of its own.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manyAccountsEnv } from '../helpers/accounts.js';
import { runNode } from '../helpers/commands.js';
import { createTestDatabase, testDriver, type TestDatabase } from '../helpers/database.js';
import { runDrivers } from '../helpers/drivers.js';
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

const packageVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/**
 * What the built server reads or loads from outside its bundle, each used once: package.json
 * (/health's version), schema/'s trusted documents and argon2's addon (sign-up by documentId),
 * drizzle/'s migrations (the tables a read finds) and GraphiQL's assets.
 */
async function reachOutsideTheBundle(url: string, seen: Record<string, unknown>): Promise<void> {
  interface Data {
    signUp?: { user: { email: string; role: string } };
    companies?: { totalCount: number };
  }
  const graphql = async (body: object) => {
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    };
    return ((await (await fetch(`${url}/graphql`, init)).json()) as { data?: Data }).data;
  };
  seen.version = ((await (await fetch(`${url}/health`)).json()) as { version: string }).version;
  const manifest = JSON.parse(readFileSync('schema/persisted-documents.json', 'utf8')) as Record<
    string,
    string
  >;
  const signUpId = Object.keys(manifest).find((id) => manifest[id]?.includes('mutation SignUp('));
  const input = { email: 'bundle@example.com', name: 'Bundle', password: 'a long enough bundle password' };
  const user = (await graphql({ documentId: signUpId, variables: { input } }))?.signUp?.user;
  seen.signUp = user && { email: user.email, role: user.role };
  seen.companies = (await graphql({ query: '{ companies { totalCount } }' }))?.companies?.totalCount;
  const page = await (await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } })).text();
  const script = /<script src="([^"]+yoga-graphiql[^"]+)"/.exec(page)?.[1];
  const response = await fetch(new URL(script ?? '/missing', url));
  seen.graphiqlScript = { status: response.status, type: response.headers.get('content-type') };
  seen.metrics = (await (await fetch(`${url}/metrics`)).text()).includes('# TYPE ');
}

/** An OTLP/HTTP endpoint that keeps the first export it is sent. */
async function traceCollector() {
  let exported: (content: { type?: string; body: string }) => void = () => {};
  const firstExport = new Promise<{ type?: string; body: string }>((resolve) => (exported = resolve));
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces')
        exported({ type: req.headers['content-type'], body });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, firstExport, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
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

    // dist/ is a bundle (scripts/build.mjs): this proves that what it leaves to node_modules
    // (argon2's addon, PGlite, pg, GraphiQL's assets) and the files it reads from the project
    // (package.json, drizzle/, schema/) are found from it.
    // Each driver's modules are loaded on demand, from a chunk of the bundle of their own.
    it.each(runDrivers)(
      'serves from the bundle what reaches outside it, and what it loads on demand (%s)',
      async (driver) => {
        const database = await createTestDatabase(driver, { empty: true });
        const collector = await traceCollector();
        const seen: Record<string, unknown> = {};
        try {
          const run = await runServer(
            {
              ...database.env,
              NODE_ENV: 'test',
              PORT: '0',
              HOST: '127.0.0.1',
              MIGRATE_ON_START: 'true',
              OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
              ...(process.env.REDIS_URL
                ? { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: `bundle-${randomUUID()}:` }
                : {}),
            },
            (stop, out) => {
              const url = /"url":"([^"]+)"/.exec(out)?.[1] ?? '';
              void reachOutsideTheBundle(url, seen).finally(stop);
            },
          );
          expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
          expect(seen).toEqual({
            version: packageVersion,
            signUp: { email: 'bundle@example.com', role: 'USER' },
            companies: 0,
            graphiqlScript: { status: 200, type: 'text/javascript; charset=utf-8' },
            metrics: true,
          });
          // The tracing SDK, a chunk of its own, exported the requests' spans on shutdown.
          const exported = await collector.firstExport;
          expect(exported.type).toBe('application/json');
          expect(exported.body).toContain('"stringValue":"acquisitions-api"');
        } finally {
          collector.server.close();
          await database.drop();
        }
      },
    );
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
