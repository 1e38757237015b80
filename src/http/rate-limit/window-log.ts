/** Milliseconds since the epoch; injectable so tests move time instead of sleeping. */
export type Clock = () => number;

/** At most `max` admitted calls in any `windowMs` (a sliding window). */
export interface Limit {
  max: number;
  windowMs: number;
}

export type Take =
  | {
      allowed: true;
      /** Names this call's entry, for `release`. */
      token: string;
    }
  | {
      allowed: false;
      /** Until the oldest admitted call leaves the window and frees a slot. */
      retryAfterMs: number;
    };

/**
 * A sliding-window log per key. `take` decides and records in one atomic step, so
 * concurrent callers (in one process or across instances sharing Redis) can never
 * be admitted past `max`. Refused calls are not recorded: a client that keeps
 * retrying recovers as soon as its oldest admitted call ages out.
 */
export interface WindowLog {
  take(key: string, limit: Limit): Promise<Take>;
  /** Forgets one admitted call (an attempt that turned out not to count, e.g. a successful sign-in). */
  release(key: string, token: string): Promise<void>;
  /** How long until `key` may call again; 0 when it may now. */
  retryAfterMs(key: string, limit: Limit): Promise<number>;
}
