import type { Clock, Limit, Take, WindowLog } from './window-log.js';

interface Entry {
  at: number;
  token: string;
}

interface Log {
  windowMs: number;
  entries: Entry[];
}

/** Keys are swept of expired entries every this many takes, so idle clients do not pile up. */
const SWEEP_EVERY = 1000;

/**
 * One process's limits, kept in memory. Node runs one take at a time, so the
 * check-then-record in `take` is atomic without locks.
 */
export class MemoryWindowLog implements WindowLog {
  private readonly logs = new Map<string, Log>();
  private takes = 0;
  private sequence = 0;

  constructor(private readonly clock: Clock = Date.now) {}

  take(key: string, limit: Limit): Promise<Take> {
    const now = this.clock();
    if (++this.takes % SWEEP_EVERY === 0) this.sweep(now);
    const log = this.live(key, limit.windowMs, now);
    if (log.entries.length >= limit.max) {
      return Promise.resolve({ allowed: false, retryAfterMs: retryAfter(log, limit.max, now) });
    }
    const token = String(++this.sequence);
    log.entries.push({ at: now, token });
    return Promise.resolve({ allowed: true, token });
  }

  release(key: string, token: string): Promise<void> {
    const log = this.logs.get(key);
    if (log) log.entries = log.entries.filter((entry) => entry.token !== token);
    return Promise.resolve();
  }

  retryAfterMs(key: string, limit: Limit): Promise<number> {
    const now = this.clock();
    const log = this.live(key, limit.windowMs, now);
    return Promise.resolve(log.entries.length >= limit.max ? retryAfter(log, limit.max, now) : 0);
  }

  /** The key's log with entries older than the window dropped (created when missing). */
  private live(key: string, windowMs: number, now: number): Log {
    let log = this.logs.get(key);
    if (!log) {
      log = { windowMs, entries: [] };
      this.logs.set(key, log);
    }
    log.windowMs = windowMs;
    const firstLive = log.entries.findIndex((entry) => entry.at > now - windowMs);
    log.entries = firstLive === -1 ? [] : log.entries.slice(firstLive);
    return log;
  }

  private sweep(now: number): void {
    for (const [key, log] of this.logs) {
      const newest = log.entries.at(-1);
      if (!newest || newest.at <= now - log.windowMs) this.logs.delete(key);
    }
  }
}

/** A slot frees when the entry `max` places from the newest ages out (the oldest, unless `max` shrank). */
function retryAfter(log: Log, max: number, now: number): number {
  const freeing = log.entries[log.entries.length - max];
  return freeing ? Math.max(0, freeing.at + log.windowMs - now) : 0;
}
