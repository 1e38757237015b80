import { context, trace, type TextMapPropagator, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Plugin } from 'graphql-yoga';
import type { Config, TraceSampler } from './config.js';
import { graphqlErrorCodesOnly, useTracing } from './http/plugins/tracing.js';
import { logIdentity, type Logger } from './logger.js';

/** What the HTTP server, Yoga and the database driver trace with; absent when tracing is off. */
export interface Tracing {
  /** The service's own spans: HTTP requests, parse/validate, compiled reads, SQL statements. */
  tracer: Tracer;
  /** Reads a caller's `traceparent`, so a request joins the trace of whoever sent it. */
  propagator: TextMapPropagator;
  /** GraphQL's spans (src/http/plugins/tracing.ts), to go after compiled reads. */
  graphqlPlugins: Plugin[];
  /** The trace id of the span active now, for the request's log line. */
  activeTraceId(): string | undefined;
  /** Sends the spans still buffered, then stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * Spans reach the right parent through async work (a resolver's SQL under its GraphQL
 * execution) only with a context manager over AsyncLocalStorage. It is process-wide state
 * in the OpenTelemetry API, so it is set once, by the first app that traces.
 */
let contextManagerSet = false;
function propagateContextAcrossAwaits(): void {
  if (contextManagerSet) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerSet = true;
}

/**
 * Passes spans on to `exporter`, logging when export starts failing and when it recovers:
 * the SDK itself only reports to its diagnostic logger, which is silent unless set, so an
 * unreachable collector would otherwise go unnoticed. One line per change, not per batch.
 */
function loggingFailures(exporter: SpanExporter, logger: Logger, url: string): SpanExporter {
  // The host alone: a URL may carry credentials.
  const collector = new URL(url).host;
  let failing = false;
  return {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      exporter.export(spans, (result) => {
        const failed = result.code !== ExportResultCode.SUCCESS;
        if (failed && !failing)
          logger.warn({ err: result.error, collector }, 'tracing: spans could not be exported');
        if (!failed && failing) logger.info({ collector }, 'tracing: spans are exported again');
        failing = failed;
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

/** Spans batched (every 5 s, or 512 at a time) and posted as OTLP/HTTP JSON to the collector. */
function otlpProcessor(target: NonNullable<Config['tracing']>, logger: Logger): BatchSpanProcessor {
  const exporter = new OTLPTraceExporter({ url: target.url, headers: target.headers });
  return new BatchSpanProcessor(loggingFailures(exporter, logger, target.url));
}

/**
 * OTEL_TRACES_SAMPLER's samplers, built here from the parsed configuration rather than
 * left to the SDK's own reading of the environment. parentbased_*: a request that comes
 * with a `traceparent` follows its caller's decision.
 */
function samplerFor(kind: TraceSampler, ratio: number): Sampler {
  const root = kind.endsWith('always_off')
    ? new AlwaysOffSampler()
    : kind.endsWith('traceidratio')
      ? new TraceIdRatioBasedSampler(ratio)
      : new AlwaysOnSampler();
  return kind.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

export interface TracingOptions {
  /** Receives every span as it ends, instead of OTLP (tests: an InMemorySpanExporter). */
  exporter?: SpanExporter;
  logger: Logger;
}

/**
 * Tracing for this app when OTEL_EXPORTER_OTLP_ENDPOINT is set (or an exporter is given),
 * else undefined. Loaded by the app with import() only then, so a service without tracing
 * loads none of the SDK (nor @envelop/opentelemetry) and does no tracing work at all.
 */
export function startTracing(config: Pick<Config, 'tracing'>, options: TracingOptions): Tracing | undefined {
  const spanProcessor = options.exporter
    ? // Each span is handed over as it ends, so a test can look at it straight after the response.
      new SimpleSpanProcessor(options.exporter)
    : config.tracing && otlpProcessor(config.tracing, options.logger);
  if (!spanProcessor) return undefined;
  propagateContextAcrossAwaits();
  const provider = new BasicTracerProvider({
    // Tests, with an exporter of their own, keep every span.
    sampler: config.tracing
      ? samplerFor(config.tracing.sampler, config.tracing.ratio)
      : new AlwaysOnSampler(),
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: logIdentity.service,
        [ATTR_SERVICE_VERSION]: logIdentity.version,
      }),
    ),
    spanProcessors: [graphqlErrorCodesOnly, spanProcessor],
  });
  const tracer = provider.getTracer(logIdentity.service, logIdentity.version);
  return {
    tracer,
    propagator: new W3CTraceContextPropagator(),
    graphqlPlugins: useTracing(provider, tracer),
    activeTraceId: () => trace.getActiveSpan()?.spanContext().traceId,
    shutdown: () => provider.shutdown(),
  };
}
