import { Store, type Identity } from '@envelop/rate-limiter';
import type { Limit, WindowLog } from './window-log.js';

/**
 * @envelop/rate-limiter's Store, backed by a WindowLog.
 *
 * The library reads an identity's timestamps, decides, then writes them back; two
 * instances (or two requests awaiting Redis) can both read the same count and both be
 * admitted. Here the read is the log's atomic take, which decides and records the call
 * in one step; the library is handed that decision in the shape it compares with `max`,
 * and its write-back is a no-op — the call is already recorded.
 * One store serves one limit (its `max` and window), for every identity.
 */
export class WindowLogStore extends Store {
  constructor(
    private readonly log: WindowLog,
    private readonly limit: Limit,
    /** Where the identity's calls are counted, e.g. one key per client across all fields. */
    private readonly keyOf: (identity: Identity) => string,
    /** The log failed (Redis unreachable): report it; the call is admitted (fail open). */
    private readonly onError: (error: unknown) => void,
  ) {
    super();
  }

  async getForIdentity(identity: Identity): Promise<readonly number[]> {
    try {
      const take = await this.log.take(this.keyOf(identity), this.limit);
      // The library refuses when (entries returned) + 1 > max, so the log's decision is
      // handed over as no entries or `max` of them (stamped now, which its window keeps).
      return take.allowed ? [] : new Array<number>(this.limit.max).fill(Date.now());
    } catch (error) {
      this.onError(error);
      return [];
    }
  }

  setForIdentity(): void {
    // take() recorded the call atomically; writing the library's copy back would race.
  }
}
