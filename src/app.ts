import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapAdmin } from './auth/admin.js';
import { scheduleSessionPurge } from './auth/session-purge.js';
import { createPasswordHasher } from './auth/password.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle, type OpenDatabaseOptions } from './db/client.js';
import { seedDemoIfEmpty } from './db/seed.js';
import { writeRefusals } from './http/health.js';
import { loadGraphiQLAssets } from './http/graphiql-assets.js';
import { CircuitBreaker } from './http/rate-limit/circuit-breaker.js';
import { openRedis, redisCoolDownMs } from './http/rate-limit/redis-client.js';
import type { Clock } from './http/rate-limit/window-log.js';
import { createSecurityHeaders } from './http/security-headers.js';
import { createStaticAssetHandler } from './http/static-assets.js';
import { loadTrustedDocuments } from './http/trusted-documents.js';
import { createGraphQLHandler } from './http/yoga.js';
import { createResultMasking } from './http/plugins/error-masking.js';
import { withoutSchemaHints } from './http/plugins/schema-hints.js';
import { attachGraphQLWebSocket } from './http/websocket.js';
import { currentViewer } from './http/plugins/viewer.js';
import { createMemoryBus, type EventBus } from './graphql/events/bus.js';
import { createRedisBus } from './graphql/events/redis-bus.js';
import { LiveEvents } from './graphql/events/live-events.js';
import { createLogger, type Logger } from './logger.js';
import { createHttpServer } from './server.js';
import { closable, closeServer, settlesWithin } from './shutdown.js';
import { belowSupportedNode, supportedNode } from './node-version.js';
import type { TracingOptions } from './tracing.js';
import { version } from './version.js';

export interface App {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  server: Server;
  /** Base URL the server listens on, e.g. http://127.0.0.1:3000. */
  url: string;
  /** Base URL of the separate /metrics listener when METRICS_PORT is set. */
  metricsUrl?: string;
  /** Open subscriptions and the event bus. */
  live: LiveEvents;
  /**
   * Graceful stop: /health/ready answers 503 for SHUTDOWN_DRAIN_MS while requests are still
   * served; then open subscriptions complete, WebSockets close (1001), new connections are
   * refused, in-flight requests finish and the database and Redis connections close, all
   * within SHUTDOWN_TIMEOUT_MS.
   */
  stop(): Promise<void>;
}

export interface StartOptions extends OpenDatabaseOptions {
  logger?: Logger;
  /** Time for the rate limits (tests move it instead of sleeping). */
  clock?: Clock;
  /** Traces to this exporter, whatever OTEL_EXPORTER_OTLP_ENDPOINT says (tests: in memory). */
  traceExporter?: TracingOptions['exporter'];
}

/** Builds the whole service from a parsed configuration and starts listening. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config);
  if (belowSupportedNode(process.versions.node) && config.env !== 'test') {
    logger.warn(
      { node: process.versions.node, supported: `>= ${supportedNode.major}.${supportedNode.minor}` },
      'Node.js is older than the service is shipped on and some dependencies declare; it runs, but upgrade',
    );
  }
  if (config.auth.jwtSecretGenerated && config.env !== 'test') {
    logger.warn(
      'JWT_SECRET is not set: using a random secret for this process; tokens will not survive a restart',
    );
  }

  // Before the database: a missing manifest stops the start with nothing to clean up.
  const trustedDocuments = loadTrustedDocuments();
  // The SDK is loaded only when tracing is on: off, nothing of it runs.
  const tracing =
    config.tracing || options.traceExporter
      ? (await import('./tracing.js')).startTracing(config, { exporter: options.traceExporter, logger })
      : undefined;
  const database = await openDatabase(config.database, { onQuery: options.onQuery, tracer: tracing?.tracer });
  try {
    if (config.migrateOnStart) await database.migrate();
    if (config.seedDemo) {
      const seeded = await seedDemoIfEmpty(database.db);
      if (seeded) logger.info(seeded, 'demo data: curated acquisitions loaded into the empty database');
    }
    await bootstrapAdmin(database.db, config, createPasswordHasher(config.auth.argon2), logger);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }

  let accepting = true;
  // prom-client and the metrics modules are loaded only with METRICS on (off in production
  // by default): a start without them loads some forty modules fewer.
  const [metricsModule, liveMetricsModule, metricsPluginModule] = config.metrics.enabled
    ? await Promise.all([
        import('./http/metrics.js'),
        import('./http/live-metrics.js'),
        import('./http/plugins/metrics.js'),
      ])
    : [];
  const metrics = metricsModule?.createMetrics({
    database,
    poolMax: config.database.poolMax,
    token: config.metrics.token,
  });
  const redis =
    config.redis && config.rateLimit.enabled ? await openRedis(config.redis.url, logger) : undefined;
  // Shared by the rate limits and /health, so neither waits on a Redis that stopped answering.
  const redisBreaker = redis ? new CircuitBreaker(redisCoolDownMs) : undefined;
  const refusedWrites = writeRefusals();
  const live = new LiveEvents(
    await openLiveBus(config, logger),
    config.subscriptions,
    currentViewer,
    logger,
    metrics && liveMetricsModule?.liveMetrics(metrics.registry),
  );
  const yoga = createGraphQLHandler({
    config,
    logger,
    db: database.db,
    metricsPlugin: metrics && metricsPluginModule?.useMetrics(metrics.registry),
    redis,
    redisBreaker,
    clock: options.clock,
    onDatabaseUnavailable: refusedWrites.note,
    trustedDocuments,
    tracing,
    live,
  });
  const securityHeaders = createSecurityHeaders({
    isProduction: config.isProduction,
    graphiql: config.graphiql,
    graphqlEndpoint: yoga.graphqlEndpoint,
  });
  const server = createHttpServer({
    yoga,
    securityHeaders,
    maxBodyBytes: config.operationLimits.maxBodyBytes,
    graphiqlFiles: config.graphiql
      ? createStaticAssetHandler(
          async () => (await loadGraphiQLAssets()).byPath,
          (err) => logger.error({ err }, "GraphiQL's files could not be loaded"),
        )
      : undefined,
    metrics: config.metrics.port === undefined ? metrics : undefined,
    traced:
      tracing && (await import('./http/request-span.js')).tracedRequests(tracing.tracer, tracing.propagator),
    health: {
      database,
      dbTimeoutMs: config.healthDbTimeoutMs,
      writesRefused: refusedWrites.recent,
      redis:
        redis && redisBreaker
          ? { ping: (ms) => redisBreaker.run(() => withinMs(redis.ping(), ms)).then(() => undefined) }
          : undefined,
      version,
      isAcceptingTraffic: () => accepting,
      onDatabaseError: (err) => logger.warn({ err }, 'health check: database unavailable'),
      onRedisError: (err) => logger.warn({ err }, 'health check: Redis unavailable'),
    },
  });
  // What Yoga's result hooks do for HTTP: masking, and no schema hints where they are off.
  const masking = createResultMasking(logger, refusedWrites.note);
  const websocket = attachGraphQLWebSocket({
    server,
    yoga,
    trustProxyHops: config.trustProxyHops,
    corsOrigins: config.corsOrigins,
    maxPayloadBytes: config.operationLimits.maxBodyBytes,
    masking: config.operationLimits.fieldSuggestions
      ? masking
      : (result, requestId) => withoutSchemaHints(masking(result, requestId)),
    keepAliveMs: config.subscriptions.keepAliveMs,
    maxSocketsPerClient: config.subscriptions.perViewer,
  });
  const closableServer = closable(server);

  const url = await listen(server, config.port, config.host);

  let metricsServer: Server | undefined;
  let metricsUrl: string | undefined;
  if (metricsModule && metrics && config.metrics.port !== undefined) {
    metricsServer = metricsModule.createMetricsServer(metrics, securityHeaders);
    try {
      metricsUrl = await listen(metricsServer, config.metrics.port, config.host);
    } catch (error) {
      await closeServer(server, 0);
      await live.close();
      await database.close().catch(() => undefined);
      redis?.disconnect();
      throw error;
    }
  }
  const closableMetricsServer = metricsServer && closable(metricsServer);

  const sessionPurge = scheduleSessionPurge({
    db: database.db,
    logger,
    ...config.sessionPurge,
    idleTtlMs: config.auth.session.idleTtlSeconds * 1000,
  });

  /** SIGTERM: drain, stop accepting, finish what is in flight, close the connections; each step bounded. */
  async function shutdown(): Promise<void> {
    const started = performance.now();
    accepting = false;
    sessionPurge.stop();
    if (config.shutdownDrainMs > 0) {
      logger.info({ drainMs: config.shutdownDrainMs }, 'shutdown: draining (/health/ready answers 503)');
      await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
    }
    const closingStarted = performance.now();
    // Each step gets what is left of SHUTDOWN_TIMEOUT_MS: a frozen peer must not hold the process.
    const remaining = () => Math.max(0, config.shutdownTimeoutMs - (performance.now() - closingStarted));
    // Subscribers get a normal end (SSE `complete`, graphql-ws Complete) rather than a cut connection.
    await live.close();
    await websocket.close(remaining());
    await Promise.all([closableServer.close(remaining()), closableMetricsServer?.close(remaining())]);
    const remainingMs = remaining();
    const connections = Promise.all([database.close(), redis?.quit().catch(() => redis.disconnect())]);
    // The spans of the requests just finished go out too, unless the collector is slower than this.
    const spansSent = tracing
      ?.shutdown()
      .catch((err: unknown) => logger.warn({ err }, 'tracing: flush failed'));
    const [closed, flushed] = await Promise.all([
      settlesWithin(connections, remainingMs),
      spansSent && settlesWithin(spansSent, remainingMs),
    ]);
    if (!closed) {
      redis?.disconnect();
      logger.warn(
        'shutdown: the database did not close its connections within SHUTDOWN_TIMEOUT_MS; leaving them',
      );
    }
    if (flushed === false) {
      logger.warn('shutdown: spans could not all be exported within SHUTDOWN_TIMEOUT_MS; leaving them');
    }
    logger.info({ durationMs: Math.round(performance.now() - started) }, 'shutdown finished');
  }

  let stopping: Promise<void> | undefined;
  return {
    config,
    logger,
    database,
    server,
    url,
    metricsUrl,
    live,
    stop: () => (stopping ??= shutdown()),
  };
}

/** Live events between instances through Redis when REDIS_URL is set, in-process otherwise. */
async function openLiveBus(config: Config, logger: Logger): Promise<EventBus> {
  if (!config.redis) return createMemoryBus();
  const [publisher, subscriber] = await Promise.all([
    openRedis(config.redis.url, logger, 'live events'),
    openRedis(config.redis.url, logger, 'live events (subscriber)'),
  ]);
  return createRedisBus({ publisher, subscriber, channel: `${config.redis.keyPrefix}live`, logger });
}

/** `promise`, or a rejection once `ms` have passed. */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Listens and resolves with the URL to reach the server on (127.0.0.1 for a wildcard address). */
function listen(server: Server, port: number, hostname: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`);
    });
  });
}
