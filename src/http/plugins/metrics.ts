import { getOperationAST, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import {
  createCounter,
  createHistogram,
  usePrometheus,
  type FillLabelsFnParams,
} from '@graphql-yoga/plugin-prometheus';
import { Counter, Histogram, type Registry } from 'prom-client';
import { codeOf, errorCodes } from '../../graphql/errors.js';

type OperationLabels = 'operationName' | 'operationType';

interface RequestState {
  startedAt: bigint;
  operationName?: string;
  operationType?: string;
  errorCodes: string[];
}

const graphqlName = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/**
 * Operation names are chosen by clients and become label values: past `max` distinct names
 * new ones share the series "other", so a client cannot grow the metrics without bound.
 */
function boundedOperationNames(max: number): (name: string | undefined) => string {
  const seen = new Set<string>();
  return (name) => {
    if (!name) return 'Anonymous';
    if (seen.has(name)) return name;
    if (seen.size >= max || !graphqlName.test(name)) return 'other';
    seen.add(name);
    return name;
  };
}

/**
 * Prometheus metrics for /graphql, registered in the app's own registry:
 * - from @graphql-yoga/plugin-prometheus: operations executed (`graphql_envelop_request`),
 *   their duration, and the parse / validate / execute phases, by operation;
 * - HTTP requests to /graphql by operation, status and outcome (ok; error: GraphQL errors
 *   in the result or a 4xx status; failed: a 5xx status), with their duration;
 * - errors by the code clients receive, and requests refused by a rate limit (RATE_LIMITED).
 * Add it after the error masking plugin: codes are counted as masked, the way clients see them.
 */
export function useMetrics(registry: Registry, graphqlEndpoint = '/graphql'): Plugin {
  const operationName = boundedOperationNames(100);
  const operationLabels = (params: FillLabelsFnParams): Record<OperationLabels, string> => ({
    operationName: operationName(params.operationName),
    operationType: params.operationType ?? 'unknown',
  });
  const phaseHistogram = <Phase>(name: string, help: string) =>
    createHistogram<Phase, OperationLabels>({
      registry,
      histogram: { name, help, labelNames: ['operationName', 'operationType'] },
      fillLabelsFn: operationLabels,
    });

  const prometheus = usePrometheus({
    registry,
    // /metrics is served by src/http/metrics.ts, behind its token; never by Yoga.
    endpoint: false,
    metrics: {
      graphql_envelop_request: createCounter<'execute' | 'subscribe', OperationLabels>({
        registry,
        counter: {
          name: 'graphql_envelop_request',
          help: 'GraphQL operations executed',
          labelNames: ['operationName', 'operationType'],
        },
        fillLabelsFn: operationLabels,
      }),
      graphql_envelop_request_duration: phaseHistogram<'execute' | 'subscribe'>(
        'graphql_envelop_request_duration',
        'Time spent on a GraphQL operation from parse to the end of execution (seconds)',
      ),
      graphql_envelop_phase_parse: phaseHistogram<'parse'>(
        'graphql_envelop_phase_parse',
        'Time spent parsing GraphQL documents (seconds)',
      ),
      graphql_envelop_phase_validate: phaseHistogram<'validate'>(
        'graphql_envelop_phase_validate',
        'Time spent validating GraphQL documents (seconds)',
      ),
      graphql_envelop_phase_execute: phaseHistogram<'execute'>(
        'graphql_envelop_phase_execute',
        'Time spent executing GraphQL operations (seconds)',
      ),
      // Covered below with the masked codes and an outcome, or by the live metrics
      // (src/http/live-metrics.ts), or not useful for this service (a static schema), or
      // labelled with unbounded values.
      graphql_envelop_error_result: false,
      graphql_yoga_http_duration: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
    },
  });

  const httpDuration = new Histogram({
    name: 'acquisitions_http_request_duration_seconds',
    help: 'HTTP requests to /graphql by operation, status code and outcome (ok, error, failed)',
    labelNames: ['operationName', 'operationType', 'statusCode', 'outcome'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'acquisitions_graphql_errors_total',
    help: 'GraphQL errors sent to clients, by extensions.code',
    labelNames: ['code'],
    registers: [registry],
  });
  // Every known code starts at zero so rate() and alerts see the series before the first error.
  for (const code of errorCodes) errors.labels({ code }).inc(0);
  const rateLimited = new Counter({
    name: 'acquisitions_rate_limited_requests_total',
    help: 'GraphQL requests refused, at least in part, by a rate limit (errors with code RATE_LIMITED)',
    labelNames: ['operationName'],
    registers: [registry],
  });

  const states = new WeakMap<Request, RequestState>();
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(prometheus);
    },
    onRequest({ request, url }) {
      if (url.pathname !== graphqlEndpoint) return;
      states.set(request, { startedAt: process.hrtime.bigint(), errorCodes: [] });
    },
    onParams({ request, params }) {
      const state = states.get(request);
      if (state && params.operationName) state.operationName = params.operationName;
    },
    onParse({ context }) {
      const state = states.get((context as { request: Request }).request);
      if (!state) return;
      // After parsing, not execution: documents that fail validation keep their operation's name.
      return ({ result }) => {
        if (result instanceof Error || result === null) return;
        const operation = getOperationAST(result, state.operationName);
        if (!operation) return;
        state.operationType = operation.operation;
        state.operationName ??= operation.name?.value;
      };
    },
    onResultProcess({ request, result }) {
      const state = states.get(request);
      if (!state || Symbol.asyncIterator in Object(result)) return;
      for (const r of Array.isArray(result) ? result : [result]) {
        for (const error of (r as { errors?: readonly GraphQLError[] }).errors ?? []) {
          const code = codeOf(error);
          state.errorCodes.push(code !== undefined && errorCodes.has(code) ? code : 'UNKNOWN');
        }
      }
    },
    onResponse({ request, response }) {
      const state = states.get(request);
      if (!state) return;
      states.delete(request);
      const name = operationName(state.operationName);
      const outcome =
        response.status >= 500
          ? 'failed'
          : state.errorCodes.length > 0 || response.status >= 400
            ? 'error'
            : 'ok';
      httpDuration.observe(
        {
          operationName: name,
          operationType: state.operationType ?? 'unknown',
          statusCode: response.status,
          outcome,
        },
        Number(process.hrtime.bigint() - state.startedAt) / 1e9,
      );
      for (const code of state.errorCodes) errors.inc({ code });
      if (state.errorCodes.includes('RATE_LIMITED')) rateLimited.inc({ operationName: name });
    },
  };
}
