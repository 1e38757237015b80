import { mkdirSync } from 'node:fs';
import type { Logger as DrizzleLogger } from 'drizzle-orm';
import type { PgAsyncDatabase } from 'drizzle-orm/pg-core/async/db';
import type { PgQueryResultHKT } from 'drizzle-orm/pg-core/session';
import type { DatabaseConfig, DatabaseDriver } from '../config.js';
import { prepareParameterizedStatements } from './prepared-statements.js';
import { relations } from './relations.js';

export type Database = PgAsyncDatabase<PgQueryResultHKT, typeof relations>;

export interface DatabaseHandle {
  db: Database;
  driver: DatabaseDriver;
  /** Runs `select 1`; rejects when the database fails or takes longer than timeoutMs. */
  ping(timeoutMs: number): Promise<void>;
  migrate(): Promise<void>;
  /** Pool figures for metrics; PGlite has a single connection and reports none. */
  poolStats(): { total: number; idle: number; waiting: number } | undefined;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Called with every SQL statement Drizzle sends (statement counting in tests and benchmarks). */
  onQuery?: (sql: string, params: unknown[]) => void;
}

const migrationsFolder = new URL('../../drizzle', import.meta.url).pathname;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Opens the driver the configuration names; nothing is connected for pg/neon until the first query. */
export async function openDatabase(
  config: DatabaseConfig,
  options: OpenDatabaseOptions = {},
): Promise<DatabaseHandle> {
  const logger: DrizzleLogger | undefined = options.onQuery
    ? { logQuery: (query, params) => options.onQuery?.(query, params) }
    : undefined;

  if (config.driver === 'pglite') {
    const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('drizzle-orm/pglite'),
      import('drizzle-orm/pglite/migrator'),
    ]);
    if (!config.url.includes('://')) mkdirSync(config.url, { recursive: true });
    const client = new PGlite(config.url);
    const db = drizzle({ client, relations, logger });
    return {
      db,
      driver: 'pglite',
      ping: (ms) => withTimeout(client.query('select 1'), ms).then(() => undefined),
      migrate: () => migrate(db, { migrationsFolder }).then(() => undefined),
      poolStats: () => undefined,
      close: () => client.close(),
    };
  }

  if (config.driver === 'pg') {
    const [{ default: pg }, { drizzle }, { migrate }] = await Promise.all([
      import('pg'),
      import('drizzle-orm/node-postgres'),
      import('drizzle-orm/node-postgres/migrator'),
    ]);
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolMax,
      connectionTimeoutMillis: config.connectTimeoutMs,
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    // Emitted for each new connection before its first query.
    if (config.preparedStatements) pool.on('connect', (client) => prepareParameterizedStatements(client));
    const db = drizzle({ client: pool, relations, logger });
    return {
      db,
      driver: 'pg',
      ping: (ms) => withTimeout(pool.query('select 1'), ms).then(() => undefined),
      migrate: () => migrate(db, { migrationsFolder }).then(() => undefined),
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => pool.end(),
    };
  }

  const [{ Pool, neonConfig }, { default: ws }, { drizzle }, { migrate }] = await Promise.all([
    import('@neondatabase/serverless'),
    import('ws'),
    import('drizzle-orm/neon-serverless'),
    import('drizzle-orm/neon-serverless/migrator'),
  ]);
  neonConfig.webSocketConstructor = ws;
  if (config.neonLocal) {
    // Neon Local serves the WebSocket endpoint on /v2 without TLS.
    const { host, port } = config.neonLocal;
    neonConfig.wsProxy = () => `${host}:${port}/v2`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({
    connectionString: config.url,
    max: config.poolMax,
    connectionTimeoutMillis: config.connectTimeoutMs,
  });
  pool.on('error', () => undefined);
  const db = drizzle({ client: pool, relations, logger });
  return {
    db,
    driver: 'neon',
    ping: (ms) => withTimeout(pool.query('select 1'), ms).then(() => undefined),
    migrate: () => migrate(db, { migrationsFolder }).then(() => undefined),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}
