import { AppError } from '../../graphql/errors.js';

/** Whole seconds a client should wait; never 0, so "retry now" is never said to a refused client. */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** RATE_LIMITED with `extensions.retryAfter` in seconds (DESIGN.md, "API contract"). */
export function rateLimited(retryAfterMs: number, reason: string): AppError {
  const retryAfter = retryAfterSeconds(retryAfterMs);
  return new AppError('RATE_LIMITED', `${reason}; retry in ${retryAfter} s`, { retryAfter });
}
