/**
 * A database server that freezes, blocks or dies under a running service (issue 14, items
 * 8 and 9): every request answers within DB_STATEMENT_TIMEOUT_MS + 1 s, with
 * SERVICE_UNAVAILABLE, HTTP 503 and Retry-After, and shutdown is not held by the database.
 * The service reaches the server through a TCP proxy the test freezes or kills; PGlite runs
 * in-process, so this file runs for the server drivers only.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app.js';
import { createTestDatabase, testDriver, testServerAddress } from '../helpers/database.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const statementTimeoutMs = 500;
/** The figure: every request answers within DB_STATEMENT_TIMEOUT_MS + 1 s. */
const answerWithinMs = statementTimeoutMs + 1000;

const compiledRead = '{ companies(first: 5) { edges { node { name } } } }';
const resolverWrite =
  'mutation { signIn(input: { email: "nobody@example.com", password: "a password of some length" }) { token } }';

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

function expectUnavailable(response: GraphQLResponse) {
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('5');
  expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(
    response.body.errors?.map(() => 'SERVICE_UNAVAILABLE'),
  );
  expect(response.body.errors?.length).toBeGreaterThan(0);
  expect(JSON.stringify(response.body)).not.toMatch(/timeout|terminated|ECONN|57014/i);
}

describe.skipIf(testDriver === 'pglite')('a database that stops answering', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let account: TestAccount;

  beforeAll(async () => {
    proxy = await startTcpProxy(testServerAddress());
    t = await startTestApp(
      {
        DB_STATEMENT_TIMEOUT_MS: String(statementTimeoutMs),
        // Fewer connections than the concurrent requests below: some wait for one.
        DB_POOL_MAX: '2',
        HEALTH_DB_TIMEOUT_MS: '300',
        SHUTDOWN_TIMEOUT_MS: '1000',
      },
      { viaPort: proxy.port },
    );
    account = await signUp(t, { name: 'Faulty Reader' });
  });
  afterEach(() => proxy.thaw());
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });

  it('answers reads, writes and signed-in requests with SERVICE_UNAVAILABLE in time when frozen', async () => {
    expect((await t.gql(compiledRead)).status).toBe(200);
    proxy.freeze();
    const requests = [
      () => t.gql(compiledRead),
      () => t.gql(resolverWrite),
      // The viewer is looked up before anything runs.
      () => t.gql('{ me { id } }', {}, account.headers),
      () => t.gql(compiledRead),
      () => t.gql(compiledRead),
    ];
    const answers = await Promise.all(requests.map((request) => timed(request)));
    for (const { result, ms } of answers) {
      expectUnavailable(result);
      expect(ms).toBeLessThan(answerWithinMs);
    }
    // The compiled read does not wait a second time through the resolvers.
    expect(t.logs).not.toContainEqual(
      expect.objectContaining({ msg: 'compiled read failed; the resolvers answer it' }),
    );
    expect(t.logs).toContainEqual(
      expect.objectContaining({ level: 40, msg: 'database unavailable', reason: 'timeout' }),
    );
  });

  it('serves again once the database answers', async () => {
    proxy.freeze();
    expectUnavailable(await t.gql(compiledRead));
    proxy.thaw();
    const response = await t.gql(compiledRead);
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
  });

  it('answers a statement the server itself cancels (a lock held elsewhere) with SERVICE_UNAVAILABLE', async () => {
    const url = t.database.url as string;
    const pg = await import('pg');
    const locker = new pg.default.Client({ connectionString: url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table companies in access exclusive mode');
      const { result, ms } = await timed(() => t.gql(compiledRead));
      expectUnavailable(result);
      expect(ms).toBeLessThan(answerWithinMs);
      expect(t.logs).toContainEqual(
        expect.objectContaining({
          msg: 'database unavailable',
          reason: 'timeout',
          err: expect.objectContaining({ message: expect.stringMatching(/statement timeout/) }),
        }),
      );
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
  });
});

describe.skipIf(testDriver === 'pglite')('a database server that dies', () => {
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    proxy = await startTcpProxy(testServerAddress());
    t = await startTestApp({ DB_STATEMENT_TIMEOUT_MS: String(statementTimeoutMs) }, { viaPort: proxy.port });
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });

  it('answers SERVICE_UNAVAILABLE at once, and /health is degraded', async () => {
    expect((await t.gql(compiledRead)).status).toBe(200);
    await proxy.kill();
    const { result, ms } = await timed(() => t.gql(compiledRead));
    expectUnavailable(result);
    expect(ms).toBeLessThan(answerWithinMs);
    expectUnavailable(await t.gql(resolverWrite));
    const health = await fetch(`${t.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({
      status: 'degraded',
      checks: { database: { status: 'error' } },
    });
  });
});

describe.skipIf(testDriver === 'pglite')('shutdown while the database is frozen', () => {
  it('completes within SHUTDOWN_TIMEOUT_MS + 1 s, answering the requests in flight', async () => {
    const proxy = await startTcpProxy(testServerAddress());
    const shutdownTimeoutMs = 1000;
    const t = await startTestApp(
      // A statement timeout longer than the shutdown's: only the shutdown can end these requests.
      { DB_STATEMENT_TIMEOUT_MS: '30000', SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) },
      { viaPort: proxy.port },
    );
    try {
      expect((await t.gql(compiledRead)).status).toBe(200);
      proxy.freeze();
      const inFlight = Promise.allSettled([t.gql(compiledRead), t.gql(resolverWrite)]);
      // Both requests wait on the database when the service stops.
      await expect.poll(() => proxy.held()).toBeGreaterThanOrEqual(2);
      const { ms } = await timed(() => t.app.stop());
      expect(ms).toBeLessThan(shutdownTimeoutMs + 1000);
      await inFlight;
      expect(t.logs).toContainEqual(expect.objectContaining({ msg: 'shutdown finished' }));
    } finally {
      await t.close();
      await proxy.close();
    }
  });
});

describe.runIf(testDriver === 'pg')('SIGTERM to the process while the database is frozen', () => {
  it('exits 0 within SHUTDOWN_TIMEOUT_MS + 1 s', async () => {
    const proxy = await startTcpProxy(testServerAddress());
    const database = await createTestDatabase('pg', { viaPort: proxy.port });
    const shutdownTimeoutMs = 1000;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        DB_STATEMENT_TIMEOUT_MS: '30000',
        SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
        ...database.env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      let url: string | undefined;
      for await (const line of lines) {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'acquisitions api listening') {
          url = entry.url;
          break;
        }
      }
      expect(url).toBeDefined();
      proxy.freeze();
      const stuck = fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: compiledRead }),
      }).catch(() => undefined);
      // The request waits on the database when the signal comes.
      await expect.poll(() => proxy.held()).toBeGreaterThan(0);
      const exited = once(child, 'exit');
      const started = performance.now();
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      expect(performance.now() - started).toBeLessThan(shutdownTimeoutMs + 1000);
      await stuck;
    } finally {
      child.kill('SIGKILL');
      await proxy.close();
      await database.drop();
    }
  });
});
