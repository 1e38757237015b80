import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';

type Query = (this: unknown, ...args: unknown[]) => unknown;

/** What this module needs of a node-postgres pool, or of Neon's copy of it. */
export interface TraceablePool {
  on(event: 'connect', listener: (client: { query: Query }) => void): unknown;
}

/** What this module needs of PGlite: its query, and the query of the transactions it opens. */
export interface TraceablePglite {
  query: Query;
  transaction(callback: (tx: { query: Query }) => Promise<unknown>): Promise<unknown>;
}

/** The statement's text: drivers take it alone or as `{ text, values, … }`. */
function textOf(config: unknown): string | undefined {
  const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : undefined;
}

/** SELECT, INSERT, WITH, BEGIN…: the statement's first keyword. */
const operationOf = (text: string) => /^\s*([a-z]+)/i.exec(text)?.[1]?.toUpperCase();

/** Postgres's SQLSTATE (23505, 57014, …), or the error's name for a driver's own failure. */
function errorTypeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  return error instanceof Error ? error.name : 'Error';
}

/**
 * `query` with a CLIENT span around each statement, as a child of the span active when it
 * is called (a resolver's, a compiled read's): OpenTelemetry's database conventions, with
 * the statement's text — parameterized, the values are never recorded — and, on failure,
 * the SQLSTATE alone (Postgres's messages may quote the values).
 *
 * Statements outside any span (migrations, the session purge, health checks) are passed
 * through untraced rather than each starting a trace of its own.
 */
function traced(tracer: Tracer, query: Query, attributes: Attributes): Query {
  return function tracedQuery(this: unknown, ...args: unknown[]) {
    const parent = context.active();
    if (!trace.getSpan(parent)) return query.apply(this, args);
    const text = textOf(args[0]);
    const operation = text && operationOf(text);
    const span = tracer.startSpan(
      operation ?? DB_SYSTEM_NAME_VALUE_POSTGRESQL,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          ...attributes,
          [ATTR_DB_QUERY_TEXT]: text,
          ...(operation ? { [ATTR_DB_OPERATION_NAME]: operation } : {}),
        },
      },
      parent,
    );
    const end = (error?: unknown) => {
      if (error) {
        const type = errorTypeOf(error);
        span.setAttribute(ATTR_ERROR_TYPE, type);
        if (/^[0-9A-Z]{5}$/.test(type)) span.setAttribute(ATTR_DB_RESPONSE_STATUS_CODE, type);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    };
    // pg-pool's own `query` calls its client's with a callback.
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (error: unknown, ...rest: unknown[]) => {
        end(error);
        return (callback as (...a: unknown[]) => unknown)(error, ...rest);
      };
      return query.apply(this, args);
    }
    let result: unknown;
    try {
      result = query.apply(this, args);
    } catch (error) {
      end(error);
      throw error;
    }
    if (result instanceof Promise) result.then(() => end(), end);
    else end();
    return result;
  };
}

/** What describes the database for every statement's span: Postgres, and which server and database. */
export function databaseAttributes(url?: string): Attributes {
  const attributes: Attributes = { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL };
  if (!url || !URL.canParse(url)) return attributes;
  const { hostname, port, pathname } = new URL(url);
  const database = decodeURIComponent(pathname.slice(1));
  return {
    ...attributes,
    [ATTR_SERVER_ADDRESS]: hostname,
    [ATTR_SERVER_PORT]: port ? Number(port) : 5432,
    ...(database ? { [ATTR_DB_NAMESPACE]: database } : {}),
  };
}

/**
 * Traces every statement on the clients `pool` hands out — which `pool.query` runs on too.
 * Register before call-deadline.ts's 'connect' listener, so that the query it bounds (and
 * calls from `pool.query`) is the traced one.
 */
export function traceClientStatements(pool: TraceablePool, tracer: Tracer, attributes: Attributes): void {
  pool.on('connect', (client) => {
    client.query = traced(tracer, client.query.bind(client), attributes);
  });
}

/** Traces every statement on PGlite, in a transaction or not. */
export function tracePgliteStatements(client: TraceablePglite, tracer: Tracer, attributes: Attributes): void {
  client.query = traced(tracer, client.query.bind(client), attributes);
  const transaction = client.transaction.bind(client);
  client.transaction = (callback) =>
    transaction((tx) => {
      tx.query = traced(tracer, tx.query.bind(tx), attributes);
      return callback(tx);
    });
}
