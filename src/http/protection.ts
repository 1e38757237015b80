import type { Redis } from 'ioredis';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Context } from '../graphql/context.js';
import type { Logger } from '../logger.js';
import { useAuthAttemptLimits } from './plugins/auth-attempt-limits.js';
import { useBotGuard } from './plugins/bot-guard.js';
import { useClientIp } from './plugins/client-ip.js';
import { useVaryOrigin } from './plugins/cors.js';
import { useCsrfPrevention } from './plugins/csrf.js';
import { useNulFreeInputs } from './plugins/nul-inputs.js';
import { useOperationLimits } from './plugins/operation-limits.js';
import { useRateLimits } from './plugins/rate-limits.js';
import { onCacheMiss } from './plugins/validation-cache.js';
import { useNoSchemaHints } from './plugins/schema-hints.js';
import { MemoryWindowLog } from './rate-limit/memory-window-log.js';
import type { CircuitBreaker } from './rate-limit/circuit-breaker.js';
import { RedisWindowLog } from './rate-limit/redis-window-log.js';
import type { Clock, WindowLog } from './rate-limit/window-log.js';

export interface ProtectionDeps {
  config: Config;
  logger: Logger;
  /** Shares the limits between instances (REDIS_URL); in-process limits without it. */
  redis?: Redis;
  /** Fails Redis calls fast while Redis is not answering. */
  redisBreaker?: CircuitBreaker;
  clock?: Clock;
}

/** An outage would otherwise log once per request. */
const STORE_ERROR_LOG_INTERVAL_MS = 10_000;

/** Transport and operation guards; they need no viewer, so they run before it is resolved. */
export function requestGuards(config: Config): Plugin[] {
  return [
    useClientIp(config.trustProxyHops),
    useCsrfPrevention(),
    ...(config.corsOrigins.length > 0 ? [useVaryOrigin()] : []),
    // Its validation rules are needed only for documents not validated yet.
    onCacheMiss(useOperationLimits(config.operationLimits)),
    useNulFreeInputs(),
    // "Did you mean …?" is a map of the schema for anyone probing it.
    ...(config.operationLimits.fieldSuggestions ? [] : [useNoSchemaHints()]),
  ];
}

/** Guards that depend on who is calling: bot guard, per-identity budgets, auth attempt limits. */
export function abuseGuards({
  config,
  logger,
  redis,
  redisBreaker,
  clock,
}: ProtectionDeps): (Plugin | Plugin<Context>)[] {
  const bots = config.botGuard ? [useBotGuard()] : [];
  const { rateLimit } = config;
  if (!rateLimit.enabled) {
    logger.warn('RATE_LIMIT=off: every rate limit is disabled (meant for load tests and benchmarks only)');
    return bots;
  }

  const log: WindowLog =
    redis && config.redis
      ? new RedisWindowLog(redis, { prefix: `${config.redis.keyPrefix}rl:`, clock, breaker: redisBreaker })
      : new MemoryWindowLog(clock);
  let lastLoggedAt = -Infinity;
  const onStoreError = (err: unknown) => {
    const now = Date.now();
    if (now - lastLoggedAt < STORE_ERROR_LOG_INTERVAL_MS) return;
    lastLoggedAt = now;
    logger.error(
      { err, failMode: rateLimit.failMode },
      `rate limits: store unavailable; budgets admit requests, signIn/signUp are ${rateLimit.failMode === 'open' ? 'admitted' : 'refused'}`,
    );
  };
  const budget = (max: number) => ({ max, windowMs: rateLimit.windowMs });

  return [
    ...bots,
    useRateLimits({
      log,
      onStoreError,
      limits: {
        guest: budget(rateLimit.budgets.guest),
        user: budget(rateLimit.budgets.user),
        apiKey: budget(rateLimit.budgets.apiKey),
        admin: budget(rateLimit.budgets.admin),
      },
    }),
    useAuthAttemptLimits({
      log,
      onStoreError,
      signIn: rateLimit.signIn,
      signUp: rateLimit.signUp,
      failMode: rateLimit.failMode,
    }),
  ];
}
