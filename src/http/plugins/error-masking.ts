import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createGraphQLError, isAsyncIterable, mapAsyncIterator } from 'graphql-yoga';
import { unavailabilityOf, type Unavailability } from '../../db/availability.js';
import { errorCodes, serviceUnavailable } from '../../graphql/errors.js';
import type { Logger } from '../../logger.js';
import { requestLogFields } from './request-log.js';

/** What names a request in the log: its id, and its trace when tracing is on. */
type RequestFields = { requestId: string; traceId?: string };

interface Logs {
  unexpected(err: unknown): void;
  unavailable(err: unknown, reason: Unavailability): void;
}

function maskOne(error: GraphQLError, log: Logs): GraphQLError {
  const original = error.originalError;
  if (!original || original instanceof GraphQLError) {
    const source = original instanceof GraphQLError ? original : error;
    const code = source.extensions?.code;
    if (typeof code === 'string' && errorCodes.has(code)) return error;
    // Parse, validation and variable-coercion errors (Yoga's GRAPHQL_VALIDATION_FAILED and
    // friends): the client's document is at fault, and clients branch on our codes only.
    return createGraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
    });
  }
  const unavailable = unavailabilityOf(original);
  if (unavailable) {
    log.unavailable(original, unavailable);
    const { message, extensions } = serviceUnavailable();
    return createGraphQLError(message, { path: error.path, extensions });
  }
  log.unexpected(original);
  return createGraphQLError('Internal server error', {
    path: error.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}

/** Masks the errors of one result as a client must receive them (see useErrorMasking). */
export type ResultMasking = (result: ExecutionResult, request: () => RequestFields) => ExecutionResult;

/** The masking of useErrorMasking, for transports that do not go through Yoga's result hooks (graphql-ws). */
export function createResultMasking(
  logger: Logger,
  /** Told of every database outage a request met (health reports refused writes). */
  onUnavailable: (reason: Unavailability) => void = () => undefined,
): ResultMasking {
  // `fieldsOf` is asked only when something is logged: most results have no errors.
  return (result, fieldsOf) => {
    const log: Logs = {
      unexpected: (err) => logger.error({ err, ...fieldsOf() }, 'unexpected error'),
      unavailable: (err, reason) => {
        onUnavailable(reason);
        logger.warn({ err, reason, ...fieldsOf() }, 'database unavailable');
      },
    };
    const maskAll = (errors: readonly GraphQLError[] | undefined) => errors?.map((e) => maskOne(e, log));
    // @defer/@stream payloads carry their errors inside `incremental`.
    const { incremental } = result as { incremental?: { errors?: readonly GraphQLError[] }[] };
    // Untouched when clean: a compiled read's result is a RawJsonResult, not a plain object.
    if (!result.errors && !incremental?.some((i) => i.errors)) return result;
    return {
      ...result,
      ...(result.errors ? { errors: maskAll(result.errors) } : {}),
      ...(incremental
        ? { incremental: incremental.map((i) => (i.errors ? { ...i, errors: maskAll(i.errors) } : i)) }
        : {}),
    };
  };
}

/**
 * Errors raised on purpose (with a code) reach the client as they are; a database that
 * could not serve the request (src/db/availability.ts) becomes SERVICE_UNAVAILABLE;
 * anything else is logged with the request id and replaced by INTERNAL_SERVER_ERROR, so
 * no stack trace or driver message leaves the server.
 */
export function useErrorMasking(logger: Logger, onUnavailable?: (reason: Unavailability) => void): Plugin {
  const masking = createResultMasking(logger, onUnavailable);
  return {
    onResultProcess({ request, result, setResult }) {
      const fields = () => requestLogFields(request);
      const mask = (r: ExecutionResult) => masking(r, fields);
      // A subscription or an incremental delivery: every result of the stream, as it is sent.
      if (isAsyncIterable(result)) setResult(mapAsyncIterator(result, mask));
      else setResult(Array.isArray(result) ? result.map(mask) : mask(result as ExecutionResult));
    },
  };
}
