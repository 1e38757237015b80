import { createHash } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../graphql/context.js';
import { codeOf } from '../../graphql/errors.js';
import { clientNetwork } from '../rate-limit/budgets.js';
import { rateLimited } from '../rate-limit/rate-limited.js';
import type { Limit, WindowLog } from '../rate-limit/window-log.js';
import { mutationArguments, rootMutationsNamed, type RootField } from '../root-fields.js';
import { clientIpOf } from './client-ip.js';

export interface AuthAttemptLimitsOptions {
  log: WindowLog;
  /** Failed sign-ins allowed per client address and, separately, per email. */
  signIn: Limit;
  /** Sign-ups allowed per client address. */
  signUp: Limit;
  /** The log failed (Redis unreachable): admit the attempt ('open') or refuse it ('closed'). */
  failMode: 'open' | 'closed';
  onStoreError: (error: unknown) => void;
}

/** What a client is told to wait while the shared limits cannot be checked (fail closed). */
const UNAVAILABLE_RETRY_MS = 30_000;

const authMutations: ReadonlySet<string> = new Set(['signIn', 'signUp']);

interface Reservation {
  field: RootField;
  key: string;
  token: string;
}

/** Keys carry a hash, not the address: the limiter store holds no personal data in clear. */
const emailKey = (email: string) =>
  `signin:email:${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')}`;

function keysFor(field: RootField, ip: string, args: Record<string, unknown> | null): string[] {
  if (field.name === 'signUp') return [`signup:ip:${ip}`];
  const input = args?.input as { email?: unknown } | undefined;
  const email = typeof input?.email === 'string' ? input.email : undefined;
  return email ? [`signin:ip:${ip}`, emailKey(email)] : [`signin:ip:${ip}`];
}

/** signIn fields whose error says the credentials were wrong: the attempts that count. */
function failedSignIns(result: ExecutionResult): Set<string> {
  const failed = new Set<string>();
  for (const error of result.errors ?? []) {
    const responseKey = error.path?.[0];
    if (typeof responseKey === 'string' && codeOf(error) === 'UNAUTHENTICATED') failed.add(responseKey);
  }
  return failed;
}

/**
 * Brute-force limits on the auth mutations. Every signIn reserves a slot per client
 * address and per email before it runs, and gives it back unless it failed with wrong
 * credentials — so concurrent guesses cannot overshoot the limit while they wait for the
 * password hash, yet successful sign-ins cost nothing. Every signUp counts per address.
 */
export function useAuthAttemptLimits(options: AuthAttemptLimitsOptions): Plugin<Context> {
  const { log, failMode, onStoreError } = options;
  const limitOf = (field: RootField) => (field.name === 'signUp' ? options.signUp : options.signIn);
  const releaseAll = (reservations: Reservation[]) =>
    Promise.all(reservations.map((r) => log.release(r.key, r.token).catch(onStoreError)));

  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const fields = rootMutationsNamed(args, authMutations);
      if (fields.length === 0) return;
      const ip = clientNetwork(clientIpOf(args.contextValue.request));
      const reservations: Reservation[] = [];
      for (const field of fields) {
        for (const key of keysFor(field, ip, mutationArguments(args, field))) {
          const take = await log.take(key, limitOf(field)).catch((error: unknown) => {
            onStoreError(error);
            return null;
          });
          if (take?.allowed) {
            reservations.push({ field, key, token: take.token });
            continue;
          }
          if (!take && failMode === 'open') continue;
          await releaseAll(reservations);
          setResultAndStopExecution({
            errors: [
              take
                ? rateLimited(take.retryAfterMs, `Too many ${field.name} attempts`)
                : rateLimited(UNAVAILABLE_RETRY_MS, `${field.name} is temporarily unavailable`),
            ],
          });
          return;
        }
      }
      return {
        async onExecuteDone({ result }) {
          if (Symbol.asyncIterator in Object(result)) return;
          const failed = failedSignIns(result as ExecutionResult);
          await releaseAll(
            reservations.filter((r) => r.field.name === 'signIn' && !failed.has(r.field.responseKey)),
          );
        },
      };
    },
  };
}
