/** Password hashing at the real (default OWASP) cost, and re-hashing of hashes made with older parameters. */
import { hash, needsRehash } from 'argon2';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema.js';
import { signUp } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  // Default argon2 parameters on purpose: this file tests them (empty means unset).
  t = await startTestApp({ ARGON2_MEMORY_KIB: '', ARGON2_TIME_COST: '' });
});
afterAll(() => t.close());

const signInMutation = 'mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }';
const current = { memoryCost: 7_168, timeCost: 5, parallelism: 1 };

async function storedHash(userId: number): Promise<string> {
  const [row] = await t.app.database.db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (!row) throw new Error('no such user');
  return row.passwordHash;
}

describe('password hashes', () => {
  it('are argon2id with the configured parameters (7 MiB, t=5, p=1 by default)', async () => {
    const account = await signUp(t);
    const digest = await storedHash(account.userId);
    expect(digest).toMatch(/^\$argon2id\$v=19\$m=7168,p=1,t=5\$/);
    expect(needsRehash(digest, current)).toBe(false);
  });

  it('made with older parameters are replaced on the next successful sign-in', async () => {
    const account = await signUp(t);
    const old = await hash(account.password, { type: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await t.app.database.db.update(users).set({ passwordHash: old }).where(eq(users.id, account.userId));

    const wrong = await t.gql(signInMutation, {
      input: { email: account.email, password: 'not the password' },
    });
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await storedHash(account.userId)).toBe(old);

    const right = await t.gql(signInMutation, {
      input: { email: account.email, password: account.password },
    });
    expect(right.body.data).toEqual({ signIn: { user: { id: account.id } } });
    const upgraded = await storedHash(account.userId);
    expect(upgraded).not.toBe(old);
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=7168,p=1,t=5\$/);

    // The new hash still verifies the same password.
    const again = await t.gql(signInMutation, {
      input: { email: account.email, password: account.password },
    });
    expect(again.body.errors).toBeUndefined();
    expect(await storedHash(account.userId)).toBe(upgraded);
  });
});
