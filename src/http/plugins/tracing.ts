import { AttributeName, getCurrentOtelContext, useOpenTelemetry } from '@envelop/opentelemetry';
import { SpanKind, SpanStatusCode, trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_TYPE } from '@opentelemetry/semantic-conventions';
import type { Plugin } from 'graphql-yoga';
import { RawJsonResult } from '../../graphql/compiled-reads/raw-json-result.js';

/** On the execution span: which of the two paths answered (DESIGN.md, "execution, two paths"). */
const readPathAttribute = 'acquisitions.read_path';

/**
 * `graphql.parse` and `graphql.validate` spans, children of the request's span.
 * @envelop/opentelemetry (9.x) traces execution only.
 */
function usePhaseSpans(tracer: Tracer): Plugin {
  return {
    onParse() {
      const span = tracer.startSpan('graphql.parse');
      return ({ result }) => {
        if (result instanceof Error) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      };
    },
    onValidate() {
      const span = tracer.startSpan('graphql.validate');
      return ({ valid }) => {
        if (!valid) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      };
    },
  };
}

/**
 * Marks the execution span compiled or resolvers. Its after-hook must run before
 * @envelop/opentelemetry's, which ends that span: envelop calls them in plugin order.
 */
function useReadPath(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result }) {
          trace
            .getSpan(getCurrentOtelContext(args.contextValue))
            ?.setAttribute(readPathAttribute, result instanceof RawJsonResult ? 'compiled' : 'resolvers');
        },
      };
    },
  };
}

/**
 * GraphQL's spans: parse and validate, then @envelop/opentelemetry's execution span (named
 * `query.Name`, with the document when it has no inline arguments; never variables, results
 * or one span per resolver). Goes after useCompiledReads: envelop's last execute wrapper runs
 * outermost, so the execution span is the active one while a compiled read runs and its
 * statement's span nests under it, as a resolver's do.
 */
export function useTracing(provider: TracerProvider, tracer: Tracer): Plugin[] {
  return [
    usePhaseSpans(tracer),
    useReadPath(),
    // Its typings require a context key (a span under a symbol) that its code never sets or reads.
    useOpenTelemetry(
      { document: true, variables: false, result: false, resolvers: false },
      provider,
      // The request's span is the SERVER one; this runs inside it.
      SpanKind.INTERNAL,
      {},
      '@envelop/opentelemetry',
    ) as unknown as Plugin,
  ];
}

/** The codes of a result's errors, from the JSON @envelop/opentelemetry recorded. */
function codesOf(errorsJson: unknown): string {
  try {
    const errors = JSON.parse(String(errorsJson)) as { extensions?: { code?: unknown } }[];
    return [...new Set(errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')))].join(',');
  } catch {
    return 'UNKNOWN';
  }
}

/**
 * @envelop/opentelemetry records a failed execution's errors, messages and all, as an
 * exception event on its span, before the error masking has run: a message may quote what
 * the client sent (`Variable "$input" got invalid value …`, a password of the wrong type
 * included) or a driver's error. This keeps their codes only, before the span is exported:
 * UNKNOWN for an error that had none yet (the request's log line has the codes clients got).
 */
export const graphqlErrorCodesOnly: SpanProcessor = {
  onStart: () => undefined,
  onEnding(span: Span) {
    for (const event of span.events) {
      if (event.attributes?.[ATTR_EXCEPTION_TYPE] === AttributeName.EXECUTION_ERROR) {
        event.attributes[ATTR_EXCEPTION_MESSAGE] = codesOf(event.attributes[ATTR_EXCEPTION_MESSAGE]);
      }
    }
  },
  onEnd: () => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
