import { mkdirSync } from 'node:fs';
import type { Tracer } from '@opentelemetry/api';
import type { Logger as DrizzleLogger } from 'drizzle-orm';
import type { PgAsyncDatabase } from 'drizzle-orm/pg-core/async/db';
import type { PgQueryResultHKT } from 'drizzle-orm/pg-core/session';
import type { DatabaseConfig, DatabaseDriver } from '../config.js';
import { projectPath } from '../project-path.js';
import { DatabaseTimeoutError } from './availability.js';
import { boundPoolCalls, type BoundedPool } from './call-deadline.js';
import { retryLostConnections, type RetryablePool } from './lost-connections.js';
import { prepareParameterizedStatements } from './prepared-statements.js';
import { relations } from './relations.js';
import type { TraceablePglite, TraceablePool } from './statement-spans.js';

export type Database = PgAsyncDatabase<PgQueryResultHKT, typeof relations>;

export interface DatabaseHandle {
  db: Database;
  driver: DatabaseDriver;
  /**
   * One round trip that also says whether the database accepts writes; rejects when the
   * database fails or takes longer than timeoutMs.
   */
  ping(timeoutMs: number): Promise<{ readOnly: boolean }>;
  migrate(): Promise<void>;
  /** Pool figures for metrics; PGlite has a single connection and reports none. */
  poolStats(): { total: number; idle: number; waiting: number } | undefined;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Called with every SQL statement Drizzle sends (statement counting in tests and benchmarks). */
  onQuery?: (sql: string, params: unknown[]) => void;
  /** Puts a span around every statement run within a traced request (src/db/statement-spans.ts). */
  tracer?: Tracer;
}

const migrationsFolder = projectPath('drizzle');

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseTimeoutError(`database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Read-only covers a database or role set to `default_transaction_read_only` and a hot
 * standby; PGlite answers it too.
 */
const readOnlyQuery = "select current_setting('transaction_read_only') as read_only";
const isReadOnly = (result: { rows: unknown[] }) =>
  (result.rows[0] as { read_only?: string } | undefined)?.read_only === 'on';

/**
 * Neon's pooled endpoint: PgBouncer in transaction mode, which refuses startup parameters it
 * does not know — `statement_timeout` among them — and would refuse every connection.
 */
const isNeonPooler = (url: string) => URL.canParse(url) && new URL(url).hostname.includes('-pooler.');

/** node-postgres options both server drivers take: how long to wait, server side and client side. */
export function poolOptions(config: DatabaseConfig) {
  const serverTimeout = config.statementTimeoutMs > 0 && !isNeonPooler(config.url);
  return {
    connectionString: config.url,
    max: config.poolMax,
    // Waiting for a free connection, or opening one.
    connectionTimeoutMillis: config.connectTimeoutMs,
    // Sent when each connection opens: the server cancels a longer statement (57014). Behind
    // Neon's pooler only the client-side deadline (call-deadline.ts) bounds a call.
    ...(serverTimeout ? { statement_timeout: config.statementTimeoutMs } : {}),
  };
}

/**
 * The client-side deadline of a call: the server's statement_timeout plus a moment, so
 * that a live server's own cancellation (which keeps the connection) normally comes first.
 */
export const clientDeadlineMs = (statementTimeoutMs: number) =>
  statementTimeoutMs > 0 ? statementTimeoutMs + 250 : 0;

/**
 * Migrations get a connection of their own without the statement timeout: building an
 * index on a large table may take minutes, and nothing waits on it but the deployment.
 */
const migrationConfig = (config: DatabaseConfig): DatabaseConfig => ({
  ...config,
  poolMax: 1,
  statementTimeoutMs: 0,
  preparedStatements: false,
});

function boundCalls(pool: BoundedPool, config: DatabaseConfig) {
  const deadline = clientDeadlineMs(config.statementTimeoutMs);
  if (deadline > 0) boundPoolCalls(pool, deadline);
}

/** Opens the driver the configuration names; nothing is connected for pg/neon until the first query. */
export async function openDatabase(
  config: DatabaseConfig,
  options: OpenDatabaseOptions = {},
): Promise<DatabaseHandle> {
  // Loaded with a tracer only: @opentelemetry/api stays unloaded while tracing is off.
  const traced = options.tracer && { tracer: options.tracer, spans: await import('./statement-spans.js') };
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
    if (traced) {
      const { spans, tracer } = traced;
      spans.tracePgliteStatements(client as unknown as TraceablePglite, tracer, spans.databaseAttributes());
    }
    const db = drizzle({ client, relations, logger });
    return {
      db,
      driver: 'pglite',
      ping: (ms) => withTimeout(client.query(readOnlyQuery), ms).then((r) => ({ readOnly: isReadOnly(r) })),
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
    const openPool = (c: DatabaseConfig) => {
      const pool = new pg.Pool(poolOptions(c));
      // An idle client losing its connection must not crash the process; the pool replaces it.
      pool.on('error', () => undefined);
      // Emitted for each new connection before its first query.
      if (c.preparedStatements) pool.on('connect', (client) => prepareParameterizedStatements(client));
      if (traced)
        traced.spans.traceClientStatements(pool, traced.tracer, traced.spans.databaseAttributes(c.url));
      boundCalls(pool, c);
      retryLostConnections(pool as unknown as RetryablePool);
      return pool;
    };
    return poolHandle(
      'pg',
      config,
      openPool,
      (pool) => drizzle({ client: pool, relations, logger }),
      migrate,
    );
  }

  const [{ Pool, neonConfig }, { default: ws }, { drizzle }, { migrate }] = await Promise.all([
    import('@neondatabase/serverless'),
    import('ws'),
    import('drizzle-orm/neon-serverless'),
    import('drizzle-orm/neon-serverless/migrator'),
  ]);
  neonConfig.webSocketConstructor = ws;
  if (config.neonLocal) {
    // As Neon Local's documentation sets the serverless driver up: its HTTP endpoint on /sql
    // and its WebSocket endpoint on /v2, both without TLS on the proxy's one port.
    const { host, port } = config.neonLocal;
    neonConfig.fetchEndpoint = `http://${host}:${port}/sql`;
    neonConfig.wsProxy = () => `${host}:${port}/v2`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const openPool = (c: DatabaseConfig) => {
    const pool = new Pool(poolOptions(c));
    pool.on('error', () => undefined);
    if (traced) {
      const { spans, tracer } = traced;
      spans.traceClientStatements(pool as unknown as TraceablePool, tracer, spans.databaseAttributes(c.url));
    }
    // Neon's typings leave `end` off the clients its pool hands out; they are its Client all the same.
    boundCalls(pool as unknown as BoundedPool, c);
    retryLostConnections(pool as unknown as RetryablePool);
    return pool;
  };
  return poolHandle(
    'neon',
    config,
    openPool,
    (pool) => drizzle({ client: pool, relations, logger }),
    migrate,
  );
}

/** What the pg and Neon pools share, for the handle over either. */
interface ServerPool {
  query(text: string): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** The handle over a pool of a Postgres server: pg's or Neon's, each with its own Drizzle driver. */
function poolHandle<Pool extends ServerPool, Db extends Database>(
  driver: 'pg' | 'neon',
  config: DatabaseConfig,
  openPool: (config: DatabaseConfig) => Pool,
  drizzleOver: (pool: Pool) => Db,
  migrate: (db: Db, options: { migrationsFolder: string }) => Promise<unknown>,
): DatabaseHandle {
  const pool = openPool(config);
  return {
    db: drizzleOver(pool),
    driver,
    ping: (ms) => withTimeout(pool.query(readOnlyQuery), ms).then((r) => ({ readOnly: isReadOnly(r) })),
    migrate: async () => {
      const migrationPool = openPool(migrationConfig(config));
      try {
        await migrate(drizzleOver(migrationPool), { migrationsFolder });
      } finally {
        await migrationPool.end();
      }
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}
