import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { users } from '../../src/db/schema.js';
import type { TestApp } from './app.js';

export interface TestAccount {
  /** The database id. */
  userId: number;
  /** The GraphQL global id. */
  id: string;
  email: string;
  password: string;
  /** The session JWT returned by signUp. */
  token: string;
  /** `{ authorization: 'Bearer …' }`, ready for `t.gql(query, variables, headers)`. */
  headers: Record<string, string>;
}

export interface SignUpFields {
  name: string;
  email: string;
  password: string;
}

const signUpMutation = /* GraphQL */ `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      token
      user {
        id
      }
    }
  }
`;

/** Global ids are base64("User:<id>") (Pothos relay's default encoding). */
function databaseIdOf(globalId: string): number {
  const [, raw] = Buffer.from(globalId, 'base64').toString('utf8').split(':');
  const id = Number(raw);
  if (!Number.isInteger(id)) throw new Error(`not a User global id: ${globalId}`);
  return id;
}

/** Signs up through the real `signUp` mutation; every call gets a fresh email unless one is given. */
export async function signUp(
  t: Pick<TestApp, 'gql'>,
  input: Partial<SignUpFields> = {},
): Promise<TestAccount> {
  const email = input.email ?? `user-${randomUUID()}@example.com`;
  const password = input.password ?? 'correct horse battery staple';
  const name = input.name ?? 'Test User';
  const { body } = await t.gql<{ signUp: { token: string; user: { id: string } } }>(signUpMutation, {
    input: { name, email, password },
  });
  const payload = body.data?.signUp;
  if (!payload) throw new Error(`signUp failed: ${JSON.stringify(body.errors)}`);
  return {
    userId: databaseIdOf(payload.user.id),
    id: payload.user.id,
    email,
    password,
    token: payload.token,
    headers: { authorization: `Bearer ${payload.token}` },
  };
}

/** Signs up, then promotes the account in the database (the role is read on every request). */
export async function createAdmin(t: TestApp, input: Partial<SignUpFields> = {}): Promise<TestAccount> {
  const account = await signUp(t, { name: 'Test Admin', ...input });
  await t.app.database.db.update(users).set({ role: 'admin' }).where(eq(users.id, account.userId));
  return account;
}

/**
 * The cheapest argon2 parameters the configuration allows, for every test service: the
 * real cost (7 MiB, t=5) is covered where hashing itself is under test
 * (test/auth/passwords.test.ts); 2 shared cores would otherwise spend much of the suite hashing.
 */
export const cheapArgon2Env = { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' };

/**
 * For test files that sign up many accounts from one address: cheap argon2 and no rate
 * limits (the sign-up limit is a few an hour per address; the limits have their own tests).
 */
export const manyAccountsEnv = { ...cheapArgon2Env, RATE_LIMIT: 'false' };
