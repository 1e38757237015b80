import { Writable } from 'node:stream';
import { startApp, type App, type StartOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/http/rate-limit/window-log.js';
import { createLogger } from '../../src/logger.js';
import { cheapArgon2Env } from './accounts.js';
import { createTestDatabase, testDriver, type TestDatabase } from './database.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

export interface TestApp {
  app: App;
  url: string;
  database: TestDatabase;
  /** Every SQL statement the service sent, in order (Drizzle's logger). */
  queries: string[];
  /** Every log line the service wrote, parsed. */
  logs: Record<string, unknown>[];
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** Starts the real service on a random port against a fresh database of the suite's driver. */
export async function startTestApp(
  env: Record<string, string> = {},
  /**
   * `clock` drives the rate limits: a test moves it instead of sleeping. `viaPort`: reach the
   * database server through a proxy listening there (test/helpers/tcp-proxy.ts).
   * `traceExporter` receives the service's spans.
   */
  options: { clock?: Clock; viaPort?: number; traceExporter?: StartOptions['traceExporter'] } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(testDriver, { viaPort: options.viaPort });
  const logs: Record<string, unknown>[] = [];
  const queries: string[] = [];
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
    ...cheapArgon2Env,
    ...database.env,
    ...env,
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  let app: App;
  try {
    app = await startApp(config, {
      logger: createLogger(config, sink),
      onQuery: (sql) => queries.push(sql),
      clock: options.clock,
      traceExporter: options.traceExporter,
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    app,
    url: app.url,
    database,
    queries,
    logs,
    async gql(query, variables, headers = {}) {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    },
    async close() {
      await app.stop();
      await database.drop();
    },
  };
}
