/**
 * Whether a failed database call means the database is unavailable — unreachable, too
 * slow, shutting down, out of resources or refusing writes — rather than a bug or bad
 * input. Clients get SERVICE_UNAVAILABLE for these and may retry later.
 */

/** Why the database could not serve a call. */
export type Unavailability =
  /** No answer in time: DB_STATEMENT_TIMEOUT_MS, a lock, or no connection to be had. */
  | 'timeout'
  /** Could not connect, or the connection broke. */
  | 'connection'
  /** Refused the login (role, password, database name): the configuration or the server changed. */
  | 'login'
  /** The server is shutting down or starting up. */
  | 'shutdown'
  /** Read-only: a read-only database or transaction, a hot standby. */
  | 'read-only'
  /** No disk space left. */
  | 'disk-full'
  /** Out of memory, connections or another resource of the server's. */
  | 'resources';

/** A call that did not finish within its deadline; the connection it used is closed. */
export class DatabaseTimeoutError extends Error {
  override name = 'DatabaseTimeoutError';
}

/** SQLSTATEs, exact or by class (their first two characters). */
const bySqlState: [RegExp, Unavailability][] = [
  [/^57014$/, 'timeout'], // query_canceled: statement_timeout
  [/^55P03$/, 'timeout'], // lock_not_available: lock_timeout
  [/^25006$/, 'read-only'], // read_only_sql_transaction
  [/^53100$/, 'disk-full'],
  [/^53/, 'resources'], // insufficient resources: memory, connections
  [/^58/, 'resources'], // system error: I/O
  [/^57P/, 'shutdown'], // admin or crash shutdown, cannot connect now, database dropped
  [/^08/, 'connection'], // connection exception
  [/^28/, 'login'], // invalid authorization
  [/^3D000$/, 'login'], // the database named in the URL does not exist
];

/** Node's socket and DNS errors. */
const byErrno: Record<string, Unavailability> = {
  ETIMEDOUT: 'timeout',
  ECONNREFUSED: 'connection',
  ECONNRESET: 'connection',
  ECONNABORTED: 'connection',
  EPIPE: 'connection',
  EHOSTUNREACH: 'connection',
  EHOSTDOWN: 'connection',
  ENETUNREACH: 'connection',
  ENETDOWN: 'connection',
  ENOTFOUND: 'connection',
  EAI_AGAIN: 'connection',
};

/** Drivers that report these without a code (node-postgres, Neon's copy of it, PGlite). */
const byMessage: [RegExp, Unavailability][] = [
  [/^timeout exceeded when trying to connect/, 'timeout'],
  [/^Connection terminated due to connection timeout/, 'timeout'],
  [/^Query read timeout/, 'timeout'],
  [/^Connection terminated/, 'connection'],
  [/^Client has encountered a connection error/, 'connection'],
  [/^Client was closed and is not queryable/, 'connection'],
  [/^Cannot use a pool after calling end on the pool/, 'shutdown'],
  [/^PGlite is closed/, 'shutdown'],
];

/**
 * Everything a failure wraps, outermost first: Drizzle puts the driver's error in
 * `cause`, Neon's WebSocket reports an ErrorEvent carrying the socket error in `error`,
 * and a connection to a name with several addresses fails with an AggregateError.
 */
export function* causesOf(error: unknown): Generator<object> {
  const queue: unknown[] = [error];
  // Bounded: a cause chain could in principle loop.
  for (let seen = 0; queue.length > 0 && seen < 10; seen++) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null) continue;
    yield current;
    const { cause, error: inner, errors } = current as { cause?: unknown; error?: unknown; errors?: unknown };
    queue.push(cause, inner, ...(Array.isArray(errors) ? errors : []));
  }
}

function classify(failure: object): Unavailability | undefined {
  if (failure instanceof DatabaseTimeoutError) return 'timeout';
  const { code, message } = failure as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (/^[0-9A-Z]{5}$/.test(code)) return bySqlState.find(([pattern]) => pattern.test(code))?.[1];
    if (code in byErrno) return byErrno[code];
  }
  if (typeof message === 'string') return byMessage.find(([pattern]) => pattern.test(message))?.[1];
  return undefined;
}

/** Why the database was unavailable to the call that failed with `error`; undefined for any other failure. */
export function unavailabilityOf(error: unknown): Unavailability | undefined {
  for (const failure of causesOf(error)) {
    const reason = classify(failure);
    if (reason) return reason;
  }
  return undefined;
}

/** The database refused to write (read-only, disk full) though it may still answer reads. */
export const refusesWrites = (reason: Unavailability | undefined): boolean =>
  reason === 'read-only' || reason === 'disk-full';
