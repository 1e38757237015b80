import { unavailabilityOf } from './availability.js';

type Query = (config: unknown, values?: unknown) => Promise<unknown>;
type ConnectCallback = (error: Error | undefined, client?: unknown, done?: () => void) => void;
type Connect = (callback?: ConnectCallback) => Promise<unknown> | undefined;

/** What this module needs of a node-postgres pool, or of Neon's copy of it. */
export interface RetryablePool {
  query: Query;
  connect: Connect;
}

/**
 * A connection the server or a proxy closed: Neon cuts idle connections and suspends idle
 * computes, and a restart, a failover or pg_terminate_backend does the same. The next
 * attempt gets a new connection.
 */
const lostConnection = (error: unknown) => {
  const reason = unavailabilityOf(error);
  return reason === 'connection' || reason === 'shutdown';
};

/**
 * A statement that only reads. Through `pool.query` a statement runs alone, never in a
 * transaction (those take a client of their own), so a select can run again with no harm.
 */
function readsOnly(config: unknown): boolean {
  const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
  return typeof text === 'string' && /^\s*select\b/i.test(text);
}

/**
 * Lets the events already received run first: when a server ends many connections at once
 * (a restart, pg_terminate_backend), the pool learns of its idle ones' end from their
 * sockets, and the second attempt must not be handed one of them.
 */
const afterPendingEvents = () => new Promise((resolve) => setImmediate(resolve));

/**
 * How often a read that keeps losing its connection is tried in all. Once more is not always
 * enough: when the server ends every connection at once, the retry may be handed an idle one
 * whose end the pool has not heard of yet, or meet the next cut; each attempt is only made
 * after a lost connection, and each has the whole call deadline.
 */
const readAttempts = 3;

/**
 * Tries again, on another connection, what a lost connection failed: opening a connection
 * (once more), and a read (up to readAttempts in all). Never a write: whether a write that
 * lost its connection was committed cannot be known, so it fails as SERVICE_UNAVAILABLE.
 * Installed outermost, so
 * each attempt gets the whole deadline of call-deadline.ts, and a call past it (a frozen
 * database) is not tried again.
 */
export function retryLostConnections(pool: RetryablePool): void {
  const connect = pool.connect.bind(pool);
  const connectOnce = () => connect() as Promise<unknown>;
  const connectTwice = () =>
    connectOnce().catch(async (error: unknown) => {
      if (!lostConnection(error)) throw error;
      await afterPendingEvents();
      return connectOnce();
    });
  // pg-pool's own query calls connect with a callback; everything else awaits it.
  pool.connect = (callback) => {
    if (!callback) return connectTwice();
    connectTwice().then(
      (client) => callback(undefined, client, () => (client as { release(): void }).release()),
      (error: Error) => callback(error),
    );
    return undefined;
  };

  const query = pool.query.bind(pool);
  pool.query = async (config, values) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await query(config, values);
      } catch (error) {
        if (attempt >= readAttempts || !readsOnly(config) || !lostConnection(error)) throw error;
        await afterPendingEvents();
      }
    }
  };
}
