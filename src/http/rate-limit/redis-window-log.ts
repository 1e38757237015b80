import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { Clock, Limit, Take, WindowLog } from './window-log.js';

/**
 * Drop what left the window, count, and record only when under the limit — in one
 * script, so Redis runs it without interleaving another instance's call. A sorted set
 * per key: score = time of the call, member = a random token naming it.
 * KEYS[1] the log; ARGV: now (ms), window (ms), max, token. Returns {admitted, retryAfterMs}.
 */
const TAKE = `
local now, window, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < max then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0}
end
local freeing = redis.call('ZRANGE', KEYS[1], count - max, count - max, 'WITHSCORES')
return {0, math.max(0, tonumber(freeing[2]) + window - now)}
`;

/** KEYS[1] the log; ARGV: now (ms), window (ms), max. Returns ms until a slot frees (0: free now). */
const RETRY_AFTER = `
local now, window, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < max then return 0 end
local freeing = redis.call('ZRANGE', KEYS[1], count - max, count - max, 'WITHSCORES')
return math.max(0, tonumber(freeing[2]) + window - now)
`;

type Script = (key: string, ...args: (string | number)[]) => Promise<unknown>;

/** ioredis sends a defined command by its SHA and reloads the script when Redis lost it. */
function defineScript(redis: Redis, name: string, lua: string): Script {
  if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
  const command = (redis as unknown as Record<string, Script>)[name];
  if (!command) throw new Error(`ioredis did not define ${name}`);
  return command.bind(redis);
}

export interface RedisWindowLogOptions {
  /** Prepended to every key, e.g. "acquisitions:rl:". */
  prefix: string;
  /**
   * Times come from the instances, not from Redis, so tests can move them; instances
   * are assumed NTP-synchronised (a skew of s shifts their windows by s).
   */
  clock?: Clock;
  /** Every call goes through it, so a Redis that stopped answering is not waited on by every request. */
  breaker?: CircuitBreaker;
}

/** Limits shared by every instance that talks to the same Redis. */
export class RedisWindowLog implements WindowLog {
  private readonly takeScript: Script;
  private readonly retryAfterScript: Script;
  private readonly prefix: string;
  private readonly clock: Clock;
  private readonly call: <T>(command: () => Promise<T>) => Promise<T>;

  constructor(
    private readonly redis: Redis,
    { prefix, clock = Date.now, breaker }: RedisWindowLogOptions,
  ) {
    this.takeScript = defineScript(redis, 'rateLimitTake', TAKE);
    this.retryAfterScript = defineScript(redis, 'rateLimitRetryAfter', RETRY_AFTER);
    this.prefix = prefix;
    this.clock = clock;
    this.call = breaker ? (command) => breaker.run(command) : (command) => command();
  }

  async take(key: string, { max, windowMs }: Limit): Promise<Take> {
    const token = randomBytes(12).toString('base64url');
    const reply = (await this.call(() =>
      this.takeScript(this.prefix + key, this.clock(), windowMs, max, token),
    )) as number[];
    const [admitted = 0, retryAfterMs = 0] = reply;
    return admitted === 1 ? { allowed: true, token } : { allowed: false, retryAfterMs };
  }

  async release(key: string, token: string): Promise<void> {
    await this.call(() => this.redis.zrem(this.prefix + key, token));
  }

  async retryAfterMs(key: string, { max, windowMs }: Limit): Promise<number> {
    return Number(
      await this.call(() => this.retryAfterScript(this.prefix + key, this.clock(), windowMs, max)),
    );
  }
}
