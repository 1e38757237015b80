import { useRateLimiter } from '@envelop/rate-limiter';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../graphql/context.js';
import { budgetOf, budgets, type Budget } from '../rate-limit/budgets.js';
import { rateLimited } from '../rate-limit/rate-limited.js';
import type { Limit, WindowLog } from '../rate-limit/window-log.js';
import { WindowLogStore } from '../rate-limit/window-log-store.js';
import { clientIpOf } from './client-ip.js';

export interface RateLimitsOptions {
  log: WindowLog;
  /** Root fields each budget may call per window. */
  limits: Record<Budget, Limit>;
  /** The log failed: the request is admitted (fail open) and this reports why. */
  onStoreError: (error: unknown) => void;
}

type LibraryExecutePayload = Parameters<NonNullable<ReturnType<typeof useRateLimiter>['onExecute']>>[0];

const labels: Record<Budget, string> = {
  guest: 'guests',
  user: 'users',
  apiKey: 'API keys',
  admin: 'admins',
};

const keyOf = (budget: Budget, subject: string) => `budget:${budget}:${subject}`;

/**
 * Per-identity budgets through @envelop/rate-limiter: every root field of a query or
 * mutation (each alias too) costs one call against the caller's single budget — guests
 * by client address, users and admins by account, API keys by their owner's account. The library finds
 * the fields and stops execution; the WindowLogStore makes its count atomic. One
 * library instance per budget, since a field configuration carries one `max`.
 */
export function useRateLimits({ log, limits, onStoreError }: RateLimitsOptions): Plugin<Context> {
  const subjectOf = (ctx: Context) => budgetOf(ctx.viewer, clientIpOf(ctx.request)).subject;
  const limiters = new Map(
    budgets.map((budget) => {
      const limit = limits[budget];
      const window = `${limit.windowMs}ms`; // the library's `ms` notation
      return [
        budget,
        useRateLimiter({
          identifyFn: (ctx) => subjectOf(ctx as Context),
          store: new WindowLogStore(log, limit, (id) => keyOf(budget, id.contextIdentity), onStoreError),
          configByField: [
            { type: 'Query', field: '*', max: limit.max, window },
            { type: 'Mutation', field: '*', max: limit.max, window },
            { type: 'Subscription', field: '*', max: limit.max, window },
          ],
        }),
      ];
    }),
  );

  const charge = async (
    payload:
      | Parameters<NonNullable<Plugin<Context>['onExecute']>>[0]
      | Parameters<NonNullable<Plugin<Context>['onSubscribe']>>[0],
  ) => {
    const ctx = payload.args.contextValue;
    const { budget, subject } = budgetOf(ctx.viewer, clientIpOf(ctx.request));
    const limiter = limiters.get(budget);
    let refused: ExecutionResult | undefined;
    // The library types its context as carrying `rateLimiterFn` (its onContextBuilding
    // adds it); its onExecute never reads it, so that hook is not installed.
    await limiter?.onExecute?.({
      ...payload,
      setResultAndStopExecution: (result: ExecutionResult) => {
        refused = result;
      },
    } as unknown as LibraryExecutePayload);
    if (!refused) return;
    // The library's errors say neither when to retry nor with our code.
    const limit = limits[budget];
    const retryAfterMs = await log.retryAfterMs(keyOf(budget, subject), limit).catch(() => limit.windowMs);
    payload.setResultAndStopExecution({
      errors: [
        rateLimited(
          retryAfterMs,
          `Rate limit for ${labels[budget]} reached (${limit.max} calls per ${describeWindow(limit)})`,
        ),
      ],
    });
  };
  // Starting a subscription costs a call like a query's root field.
  return { onExecute: charge, onSubscribe: charge };
}

function describeWindow({ windowMs }: Limit): string {
  const seconds = windowMs / 1000;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
