import { getCurrentOtelContext, useOpenTelemetry } from '@envelop/opentelemetry';
import { SpanKind, SpanStatusCode, trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
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
