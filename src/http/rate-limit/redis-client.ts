import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';

/**
 * Connects to the Redis that shares rate limits (and live events) between instances. An
 * unreachable Redis does not stop the service: the client keeps reconnecting in the
 * background while each limit applies its failure mode (RATE_LIMIT_FAIL_MODE). `purpose`
 * names the connection in the log. ioredis is loaded here, on first use: a service without
 * REDIS_URL starts without its fifty-odd modules.
 */
export async function openRedis(url: string, logger: Logger, purpose = 'rate limits'): Promise<Redis> {
  // Through module.exports (the default export): ioredis is CommonJS, and in the bundle
  // (scripts/build.mjs) a dynamically imported CommonJS module has no named exports.
  const { Redis } = (await import('ioredis')).default;
  const redis = new Redis(url, {
    lazyConnect: true,
    // Commands fail at once while disconnected instead of queueing, so a request
    // never waits on an outage: the limiter fails open or closed right away.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    // Long enough not to fire on a busy event loop, short enough that a hung Redis
    // costs a request one second at most.
    commandTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // One line per outage, not one per reconnection attempt.
  let reachable = true;
  redis.on('error', (err: Error) => {
    if (!reachable) return;
    reachable = false;
    logger.error({ err }, `${purpose}: Redis unreachable`);
  });
  redis.on('ready', () => {
    if (!reachable) logger.info(`${purpose}: Redis reachable again`);
    reachable = true;
  });
  try {
    await redis.connect();
  } catch {
    // Already logged by the error listener; reconnection continues.
  }
  return redis;
}

/**
 * After a Redis command fails (commandTimeout above, or the connection), calls are refused
 * at once for this long, then tried one at a time: a hung Redis costs one request a second
 * every few seconds, not every request a second.
 */
export const redisCoolDownMs = 5000;
