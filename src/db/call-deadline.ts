import { DatabaseTimeoutError } from './availability.js';

type Query = (config: unknown, values?: unknown) => Promise<unknown>;

/** What this module needs of a node-postgres client, or of Neon's copy of it. */
interface BoundedClient {
  query: Query;
  end(): Promise<void>;
  release(error?: Error): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
}

/** What this module needs of a node-postgres pool (pg-pool), or of Neon's copy of it. */
export interface BoundedPool {
  connect(): Promise<BoundedClient>;
  query: Query;
  on(event: 'connect', listener: (client: BoundedClient) => void): unknown;
}

/** The errors of a call past its deadline: no connection yet, or no answer to the statement. */
const noConnectionWithin = (ms: number) => new DatabaseTimeoutError(`no database connection within ${ms} ms`);
const noAnswerWithin = (ms: number, cause: unknown) =>
  new DatabaseTimeoutError(`the database did not answer within ${ms} ms`, { cause });

/**
 * Runs one statement on `client`; past `ms` it ends the client, which fails the
 * statement (and any queued behind it, such as a ROLLBACK) at once. A silent socket
 * would otherwise hold the call for as long as the operating system keeps it open, and
 * a late answer could not be matched to its statement anyway.
 */
function runWithin(client: BoundedClient, query: Query, config: unknown, values: unknown, ms: number) {
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    client.end().catch(() => undefined);
  }, ms);
  return query(config, values).then(
    (result) => {
      clearTimeout(timer);
      return result;
    },
    (error: unknown) => {
      clearTimeout(timer);
      throw expired ? noAnswerWithin(ms, error) : error;
    },
  );
}

/**
 * Bounds every call through `pool` by `deadlineMs`, waiting for a connection included:
 * `pool.query` as a whole, `pool.connect`, and each statement on a client it hands out
 * (Drizzle's transactions). This is the client-side half of DB_STATEMENT_TIMEOUT_MS;
 * the server's `statement_timeout` is the other, and normally answers first. A call
 * past its deadline fails with DatabaseTimeoutError.
 *
 * Register after any other 'connect' listener that wraps `client.query` (prepared
 * statements): `pool.query` calls the query it finds here, and must find theirs.
 */
export function boundPoolCalls(pool: BoundedPool, deadlineMs: number): void {
  const unbounded = new WeakMap<BoundedClient, Query>();
  pool.on('connect', (client) => {
    const query = client.query.bind(client);
    unbounded.set(client, query);
    client.query = (config, values) => runWithin(client, query, config, values, deadlineMs);
  });

  const connect = pool.connect.bind(pool);
  pool.connect = () =>
    new Promise<BoundedClient>((resolve, reject) => {
      let expired = false;
      const timer = setTimeout(() => {
        expired = true;
        reject(noConnectionWithin(deadlineMs));
      }, deadlineMs);
      connect().then(
        (client) => {
          clearTimeout(timer);
          // The caller has given up; the pool takes the connection back for the next one.
          if (expired) client.release();
          else resolve(client);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });

  // pg-pool's own query (connect, query, release) under one deadline, and one timer, over
  // both steps: it is the call every read takes.
  pool.query = (config, values) =>
    new Promise((resolve, reject) => {
      let client: BoundedClient | undefined;
      let expired = false;
      let failure: Error | undefined;
      // A socket error while the statement runs is also delivered to the statement;
      // without a listener the client's 'error' event would be thrown.
      const onError = (error: Error) => (failure ??= error);
      const timer = setTimeout(() => {
        expired = true;
        // Ending the client fails the statement, which then rejects below.
        if (client) client.end().catch(() => undefined);
        else reject(noConnectionWithin(deadlineMs));
      }, deadlineMs);
      const done = (connected: BoundedClient) => {
        clearTimeout(timer);
        connected.off('error', onError);
        // As pg-pool does: a client that failed a statement is closed rather than reused.
        connected.release(failure);
      };
      connect().then(
        (connected) => {
          // The caller has given up; the pool takes the connection back for the next one.
          if (expired) return connected.release();
          client = connected;
          connected.on('error', onError);
          let running: Promise<unknown>;
          try {
            running = (unbounded.get(connected) ?? connected.query)(config, values);
          } catch (error) {
            running = Promise.reject(error);
          }
          running.then(
            (result) => {
              done(connected);
              resolve(result);
            },
            (error: unknown) => {
              failure ??= error instanceof Error ? error : new Error(String(error));
              done(connected);
              reject(expired ? noAnswerWithin(deadlineMs, error) : error);
            },
          );
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
}
