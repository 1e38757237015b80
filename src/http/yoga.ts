import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { createAuthServices } from '../auth/services.js';
import type { Config } from '../config.js';
import type { Unavailability } from '../db/availability.js';
import type { Database } from '../db/client.js';
import { useCompiledReads } from '../graphql/compiled-reads/use-compiled-reads.js';
import type { Context } from '../graphql/context.js';
import type { LiveEvents } from '../graphql/events/live-events.js';
import { useSharedEventExecution } from '../graphql/events/shared-execution.js';
import { schema } from '../graphql/schema.js';
import type { Logger } from '../logger.js';
import type { Tracing } from '../tracing.js';
import type { Redis } from 'ioredis';
import { graphiqlOptions, renderGraphiQLPage } from './graphiql.js';
import { knownClientIp } from './plugins/client-ip.js';
import { corsPolicy } from './plugins/cors.js';
import { useDocumentIds, type NamedDocuments } from './plugins/document-ids.js';
import { useDisableIntrospection } from './plugins/disable-introspection.js';
import { useErrorMasking } from './plugins/error-masking.js';
import { useSseResults } from './plugins/sse-results.js';
import { requestIdOf, useRequestLog } from './plugins/request-log.js';
import { useResponseCookies } from './plugins/response-cookies.js';
import { useRetryStatus } from './plugins/retry-status.js';
import { useTrustedDocumentsOnly } from './plugins/trusted-documents-only.js';
import { onCacheMiss, useValidationCache } from './plugins/validation-cache.js';
import { useViewer } from './plugins/viewer.js';
import { abuseGuards, requestGuards } from './protection.js';
import type { CircuitBreaker } from './rate-limit/circuit-breaker.js';
import type { Clock } from './rate-limit/window-log.js';
import { loadTrustedDocuments, type TrustedDocuments } from './trusted-documents.js';

export interface YogaDeps {
  config: Config;
  logger: Logger;
  db: Database;
  /** Request metrics (plugins/metrics.ts) when METRICS is on; the app loads it only then. */
  metricsPlugin?: Plugin;
  /** Shares rate limits between instances when REDIS_URL is set. */
  redis?: Redis;
  /** Every rate-limit call to `redis` goes through it. */
  redisBreaker?: CircuitBreaker;
  /** Time for the rate limits; tests move it instead of sleeping. */
  clock?: Clock;
  /** Told of every database outage a request met. */
  onDatabaseUnavailable?: (reason: Unavailability) => void;
  /** The documents clients may run by `documentId`; the manifest in schema/ unless given. */
  trustedDocuments?: TrustedDocuments;
  /** Spans for parse, validate, execution and compiled reads, and trace ids in the log; absent when off. */
  tracing?: Tracing;
  /** Publishes committed changes and serves subscriptions. */
  live: LiveEvents;
}

export type Yoga = YogaServerInstance<Record<string, unknown>, Context>;

/** Yoga's log calls, as one line each; Yoga logs three debug lines per request, joined only when kept. */
function forwardTo(logger: Logger, level: 'debug' | 'info' | 'warn' | 'error') {
  return (...args: unknown[]) => {
    if (logger.isLevelEnabled(level)) logger[level](args.map(String).join(' '));
  };
}

export function createGraphQLHandler({
  config,
  logger,
  db,
  metricsPlugin,
  redis,
  redisBreaker,
  clock,
  onDatabaseUnavailable,
  trustedDocuments = loadTrustedDocuments(),
  tracing,
  live,
}: YogaDeps): Yoga {
  const auth = createAuthServices(config.auth);
  const namedDocuments: NamedDocuments = new WeakSet();
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: config.graphiql ? graphiqlOptions : false,
    renderGraphiQL: renderGraphiQLPage,
    landingPage: false,
    cors: corsPolicy(config.corsOrigins),
    // One operation per request: a batch would multiply every per-request limit.
    batching: false,
    // The HTTP server bounds the body and reads it before Yoga runs (src/http/body-limit.ts);
    // Yoga's own limit would stream it through a TransformStream pipeline again.
    maxRequestBodySize: false,
    // Parsed documents stay cached by Yoga; validation results by useValidationCache. The
    // caches are Yoga's defaults (1,024 entries each) without their hour-long time to live:
    // with one, every lookup reads the clock and re-arms a timer, and the bound on entries
    // alone already caps the memory they hold.
    parserAndValidationCache: {
      documentCache: new LRUCache({ max: 1024 }),
      errorCache: new LRUCache({ max: 1024 }),
      validationCache: false,
    },
    // Our own masking logs with the request id; Yoga's would log without it.
    maskedErrors: false,
    logging: {
      debug: forwardTo(logger, 'debug'),
      info: forwardTo(logger, 'info'),
      warn: forwardTo(logger, 'warn'),
      error: forwardTo(logger, 'error'),
    },
    context: ({ request }): Context => ({
      db,
      auth,
      viewer: null,
      requestId: requestIdOf(request),
      logger,
      request,
      clientIp: knownClientIp(request),
      responseCookies: [],
      live,
    }),
    // Masking runs first so the request log records the codes clients actually receive.
    plugins: [
      useErrorMasking(logger, onDatabaseUnavailable),
      // After the masking: it serializes the results the masking produced.
      useSseResults(config.subscriptions.keepAliveMs),
      useRetryStatus(),
      ...(metricsPlugin ? [metricsPlugin] : []),
      useRequestLog(logger, tracing?.activeTraceId),
      // Before the guards: a named document's text is checked like any sent text.
      ...useDocumentIds(trustedDocuments, namedDocuments),
      ...requestGuards(config),
      // Before the viewer, which may add a renewed session cookie.
      useResponseCookies(),
      useViewer(),
      // Right after the viewer, whose API key says whether it may send a text.
      useTrustedDocumentsOnly(namedDocuments),
      ...abuseGuards({ config, logger, redis, redisBreaker, clock }),
      ...(config.introspection ? [] : [onCacheMiss(useDisableIntrospection())]),
      // @defer/@stream: an executor that delivers a query's payloads as they resolve. Before
      // the compiled reads, which leave such operations to it.
      onCacheMiss(useDeferStream()),
      // Runs the validation rules of the plugins marked onCacheMiss, for new documents only.
      useValidationCache(),
      // One execution of an event per subscription shape, shared by its subscribers.
      useSharedEventExecution(),
      // It replaces execution itself, once every guard above has let the request through.
      ...(config.compiledReads ? [useCompiledReads(tracing?.tracer)] : []),
      // After compiled reads, so that the execution span wraps them too (plugins/tracing.ts).
      ...(tracing?.graphqlPlugins ?? []),
    ],
  });
}
