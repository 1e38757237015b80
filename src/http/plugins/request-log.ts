import { randomUUID } from 'node:crypto';
import { getOperationAST, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { codeOf } from '../../graphql/errors.js';
import type { Logger } from '../../logger.js';

interface RequestState {
  id: string;
  startedAt: bigint;
  operationName?: string;
  /** The request's trace when tracing is on: the line leads to the trace, and back. */
  traceId?: string;
  errorCodes: string[];
}

const states = new WeakMap<Request, RequestState>();
const validRequestId = /^[\w.:@/-]{1,128}$/;

/** The request id of a Yoga request: the caller's x-request-id when well-formed, else a new UUID. */
export function requestIdOf(request: Request): string {
  let state = states.get(request);
  if (!state) {
    const given = request.headers.get('x-request-id');
    state = {
      id: given && validRequestId.test(given) ? given : randomUUID(),
      startedAt: process.hrtime.bigint(),
      errorCodes: [],
    };
    states.set(request, state);
  }
  return state.id;
}

/** What names a request in a log line: its id, and its trace when tracing is on. */
const logFields = ({ id, traceId }: RequestState) =>
  traceId ? { requestId: id, traceId } : { requestId: id };

/** The fields naming `request` in a log line (logFields). */
export function requestLogFields(request: Request): { requestId: string; traceId?: string } {
  requestIdOf(request);
  return logFields(states.get(request)!);
}

/**
 * Request id (echoed as x-request-id) and one log line per GraphQL request; with
 * `activeTraceId` (tracing on), the line also names the request's trace.
 */
export function useRequestLog(logger: Logger, activeTraceId?: () => string | undefined): Plugin {
  return {
    onRequest({ request }) {
      requestIdOf(request);
      if (activeTraceId) states.get(request)!.traceId = activeTraceId();
    },
    onParams({ request, params }) {
      const state = states.get(request);
      if (state && params.operationName) state.operationName = params.operationName;
    },
    onExecute({ args }) {
      const state = states.get((args.contextValue as { request: Request }).request);
      if (state && !state.operationName) {
        state.operationName = getOperationAST(args.document, args.operationName)?.name?.value;
      }
    },
    onResultProcess({ request, result }) {
      const state = states.get(request);
      if (!state || Symbol.asyncIterator in Object(result)) return;
      for (const r of Array.isArray(result) ? result : [result]) {
        for (const error of (r as { errors?: readonly GraphQLError[] }).errors ?? []) {
          state.errorCodes.push(codeOf(error) ?? 'UNKNOWN');
        }
      }
    },
    onResponse({ request, response }) {
      const state = states.get(request);
      if (!state) return;
      response.headers.set('x-request-id', state.id);
      if (!logger.isLevelEnabled('info')) return;
      const durationMs = Number(process.hrtime.bigint() - state.startedAt) / 1e6;
      const outcome = response.status >= 500 ? 'failed' : state.errorCodes.length > 0 ? 'error' : 'ok';
      logger.info(
        {
          ...logFields(state),
          operationName: state.operationName ?? null,
          status: response.status,
          durationMs: Math.round(durationMs * 100) / 100,
          outcome,
          ...(state.errorCodes.length > 0 ? { errorCodes: [...new Set(state.errorCodes)] } : {}),
        },
        'graphql request',
      );
    },
  };
}
