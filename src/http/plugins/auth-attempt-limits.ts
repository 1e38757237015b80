import { createHash } from 'node:crypto';
import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context, Viewer } from '../../graphql/context.js';
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

const limitedMutations: ReadonlySet<string> = new Set(['signIn', 'signUp', 'updateUser']);

/** One slot an attempt takes in one log before it runs. */
interface Slot {
  key: string;
  limit: Limit;
}

/** What one root mutation field costs, and whether it gets its slots back once it has run. */
interface Attempt {
  field: RootField;
  slots: Slot[];
  /** What the refusal says was attempted too often. */
  what: string;
  /** Counted only when it failed in this way; otherwise its slots are given back. */
  countsOnly?: (error: GraphQLError) => boolean;
}

interface Reservation {
  attempt: Attempt;
  key: string;
  token: string;
}

/** Keys carry a hash, not the address: the limiter store holds no personal data in clear. */
const emailKey = (email: string) =>
  `signin:email:${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')}`;

const wrongCredentials = (error: GraphQLError) => codeOf(error) === 'UNAUTHENTICATED';

/** updateUser's refusal of a wrong (or missing) `currentPassword`. */
const wrongCurrentPassword = (error: GraphQLError) => {
  const fields = error.extensions?.fields;
  return (
    codeOf(error) === 'BAD_USER_INPUT' &&
    Array.isArray(fields) &&
    fields.some((f: { field?: unknown }) => f.field === 'input.currentPassword')
  );
};

const stringArgument = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

function attemptsOf(
  field: RootField,
  ip: string,
  viewer: Viewer | null,
  args: Record<string, unknown> | null,
  { signIn, signUp }: Pick<AuthAttemptLimitsOptions, 'signIn' | 'signUp'>,
): Attempt[] {
  const input = (args?.input ?? {}) as { email?: unknown; currentPassword?: unknown };
  if (field.name === 'signUp') {
    return [{ field, what: 'signUp attempts', slots: [{ key: `signup:ip:${ip}`, limit: signUp }] }];
  }
  if (field.name === 'signIn') {
    const email = stringArgument(input.email);
    const slots = [{ key: `signin:ip:${ip}`, limit: signIn }];
    if (email) slots.push({ key: emailKey(email), limit: signIn });
    return [{ field, what: 'signIn attempts', slots, countsOnly: wrongCredentials }];
  }
  // updateUser: only a signed-in viewer gets past its auth scopes.
  if (!viewer) return [];
  const attempts: Attempt[] = [];
  const accountEmail = viewer.account?.email;
  if (stringArgument(input.currentPassword) && accountEmail) {
    // The sign-in failures of this account: a stolen session cannot test passwords faster
    // than signIn can, and the guesses lock signIn too.
    attempts.push({
      field,
      what: 'wrong passwords for this account',
      slots: [{ key: emailKey(accountEmail), limit: signIn }],
      countsOnly: wrongCurrentPassword,
    });
  }
  if (stringArgument(input.email)) {
    // A taken address is a CONFLICT, as in signUp: probing with it is limited as signUp is,
    // in the same per-address budget, and per account.
    attempts.push({
      field,
      what: 'email changes',
      slots: [
        { key: `signup:ip:${ip}`, limit: signUp },
        { key: `email-change:user:${viewer.userId}`, limit: signUp },
      ],
    });
  }
  return attempts;
}

/** The errors each root field of `result` ended with, by response key. */
function errorsByField(result: ExecutionResult): Map<string, GraphQLError[]> {
  const byField = new Map<string, GraphQLError[]>();
  for (const error of result.errors ?? []) {
    const responseKey = error.path?.[0];
    if (typeof responseKey !== 'string') continue;
    byField.set(responseKey, [...(byField.get(responseKey) ?? []), error]);
  }
  return byField;
}

/**
 * Limits on guessing and probing through mutations. Every signIn reserves a slot per
 * client address and per email before it runs, and gives it back unless it failed with
 * wrong credentials — so concurrent guesses cannot overshoot the limit while they wait
 * for the password hash, yet successful sign-ins cost nothing. An updateUser checking
 * `currentPassword` does the same in its account's per-email slot. Every signUp counts
 * per address, and every email change per address (with sign-ups) and per account.
 */
export function useAuthAttemptLimits(options: AuthAttemptLimitsOptions): Plugin<Context> {
  const { log, failMode, onStoreError } = options;
  const releaseAll = (reservations: Reservation[]) =>
    Promise.all(reservations.map((r) => log.release(r.key, r.token).catch(onStoreError)));

  type OnExecute = NonNullable<Plugin<Context>['onExecute']>;
  type ExecutePayload = Parameters<OnExecute>[0];
  const limitAttempts = async (
    { args, setResultAndStopExecution }: ExecutePayload,
    fields: RootField[],
  ): Promise<Awaited<ReturnType<OnExecute>>> => {
    const ip = clientNetwork(clientIpOf(args.contextValue.request));
    const viewer = args.contextValue.viewer;
    const attempts = fields.flatMap((field) =>
      attemptsOf(field, ip, viewer, mutationArguments(args, field), options),
    );
    const reservations: Reservation[] = [];
    for (const attempt of attempts) {
      for (const { key, limit } of attempt.slots) {
        const take = await log.take(key, limit).catch((error: unknown) => {
          onStoreError(error);
          return null;
        });
        if (take?.allowed) {
          reservations.push({ attempt, key, token: take.token });
          continue;
        }
        if (!take && failMode === 'open') continue;
        await releaseAll(reservations);
        setResultAndStopExecution({
          errors: [
            take
              ? rateLimited(take.retryAfterMs, `Too many ${attempt.what}`)
              : rateLimited(UNAVAILABLE_RETRY_MS, `${attempt.field.name} is temporarily unavailable`),
          ],
        });
        return;
      }
    }
    const refundable = reservations.filter((r) => r.attempt.countsOnly);
    if (refundable.length === 0) return;
    return {
      async onExecuteDone({ result }) {
        if (Symbol.asyncIterator in Object(result)) return;
        const errors = errorsByField(result as ExecutionResult);
        await releaseAll(
          refundable.filter(
            ({ attempt }) =>
              !errors.get(attempt.field.responseKey)?.some((error) => attempt.countsOnly?.(error)),
          ),
        );
      },
    };
  };

  return {
    onExecute(payload) {
      const fields = rootMutationsNamed(payload.args, limitedMutations);
      // Not a limited mutation (nearly every request): nothing to wait for.
      if (fields.length === 0) return;
      return limitAttempts(payload, fields);
    },
  };
}
