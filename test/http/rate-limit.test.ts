import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAdmin, signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app.js';
import { subscribeSse } from '../helpers/live.js';

/**
 * Budgets per identity and the auth attempt limits, with the in-process store and a
 * clock the test moves. Small limits so each trips after a few calls.
 */
const WINDOW_MS = 60_000;
const SIGNIN_WINDOW_MS = 15 * 60_000;
const SIGNUP_WINDOW_MS = 60 * 60_000;
// The guests' budget leaves room for the sign-in and sign-up tests, which run as guests.
const limits = { guest: 20, user: 7, apiKey: 8, admin: 9, signInFailures: 3, signUp: 4 };

const ping = '{ __typename }';
const signInMutation = /* GraphQL */ `
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      token
    }
  }
`;

let t: TestApp;
let now = Date.now();
const clock = () => now;

const codeOf = (response: GraphQLResponse) => response.body.errors?.[0]?.extensions?.code;

/** Calls `ping` `times` times in a row, expecting each to be served. */
async function spend(times: number, headers: Record<string, string> = {}): Promise<void> {
  for (let i = 0; i < times; i++) {
    const response = await t.gql(ping, undefined, headers);
    expect(response.body.errors, `call ${i + 1} of ${times}`).toBeUndefined();
  }
}

beforeAll(async () => {
  t = await startTestApp(
    {
      RATE_LIMIT_WINDOW: `${WINDOW_MS / 1000}s`,
      RATE_LIMIT_GUEST: String(limits.guest),
      RATE_LIMIT_USER: String(limits.user),
      RATE_LIMIT_API_KEY: String(limits.apiKey),
      RATE_LIMIT_ADMIN: String(limits.admin),
      RATE_LIMIT_SIGNIN_FAILURES: String(limits.signInFailures),
      RATE_LIMIT_SIGNIN_WINDOW: '15m',
      RATE_LIMIT_SIGNUP: String(limits.signUp),
      RATE_LIMIT_SIGNUP_WINDOW: '1h',
    },
    { clock },
  );
});

afterAll(async () => {
  await t?.close();
});

/** Lets every window empty: whatever was spent before has aged out. */
const startAfresh = () => {
  now += SIGNUP_WINDOW_MS;
};
beforeEach(startAfresh);

describe('per-identity budgets', () => {
  it('lets a guest make exactly its budget of calls, then refuses with 429 and Retry-After', async () => {
    await spend(limits.guest);
    const refused = await t.gql(ping);
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.body.errors?.[0]?.extensions?.retryAfter).toBe(WINDOW_MS / 1000);
    expect(refused.headers.get('retry-after')).toBe(String(WINDOW_MS / 1000));
    expect(refused.body.data).toBeUndefined();
  });

  it('frees a slot when the oldest call leaves the window, and says when that is', async () => {
    await spend(1);
    now += 10_000;
    await spend(limits.guest - 1);
    const refused = await t.gql(ping);
    expect(refused.body.errors?.[0]?.extensions?.retryAfter).toBe(50);

    now += 50_000 - 1;
    expect((await t.gql(ping)).status).toBe(429);
    now += 1;
    expect((await t.gql(ping)).body.data).toEqual({ __typename: 'Query' });
    expect((await t.gql(ping)).status).toBe(429);
  });

  it('does not count refused calls, so a client retrying too early still recovers on time', async () => {
    await spend(limits.guest);
    for (let i = 0; i < 10; i++) expect((await t.gql(ping)).status).toBe(429);
    now += WINDOW_MS;
    await spend(limits.guest);
  });

  it('charges the start of a subscription like a query', async () => {
    await spend(limits.guest - 1);
    const started = await subscribeSse(t.url, 'subscription { acquisitionEvents { kind } }');
    started.close();
    expect(started.status).toBe(200);
    const refused = await subscribeSse(t.url, 'subscription { acquisitionEvents { kind } }');
    expect(refused.status).toBe(429);
    expect((await refused.next()).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('charges every root field, aliases included', async () => {
    const { body } = await t.gql('{ a: __typename b: __typename c: __typename }');
    expect(body.errors).toBeUndefined();
    await spend(limits.guest - 3);
    expect((await t.gql(ping)).status).toBe(429);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: a spoofed address gets no fresh budget', async () => {
    await spend(limits.guest);
    const spoofed = await t.gql(ping, undefined, { 'x-forwarded-for': '203.0.113.7' });
    expect(spoofed.status).toBe(429);
  });

  describe('signed in', () => {
    let user: TestAccount;
    let admin: TestAccount;
    let apiKey: Record<string, string>;

    const createKey = async (owner: TestAccount) => {
      const { body } = await t.gql<{ createApiKey: { secret: string } }>(
        'mutation Key($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
        { input: { name: 'rate limit test' } },
        owner.headers,
      );
      return { 'x-api-key': body.data?.createApiKey.secret as string };
    };

    beforeAll(async () => {
      startAfresh();
      user = await signUp(t);
      admin = await createAdmin(t);
      apiKey = await createKey(user);
    });

    it.each([
      ['a user', limits.user, () => user.headers],
      ['an admin', limits.admin, () => admin.headers],
      ['an API key', limits.apiKey, () => apiKey],
    ])('gives %s its own budget (%i calls)', async (_who, budget, headers) => {
      await spend(budget, headers());
      const refused = await t.gql(ping, undefined, headers());
      expect(refused.status).toBe(429);
      expect(codeOf(refused)).toBe('RATE_LIMITED');
      // The others' budgets are untouched.
      await spend(limits.guest);
    });

    it('counts an API key apart from the session of the user who made it', async () => {
      await spend(limits.user, user.headers);
      expect((await t.gql(ping, undefined, user.headers)).status).toBe(429);
      await spend(limits.apiKey, apiKey);
    });

    it('charges every key of an account to one budget: more keys buy no more calls', async () => {
      const owner = await signUp(t);
      const keys = [];
      for (let i = 0; i < 3; i++) keys.push(await createKey(owner));
      // One call with each key in turn until the account's budget is spent.
      for (let i = 0; i < limits.apiKey; i++) await spend(1, keys[i % keys.length]);
      for (const key of keys) expect((await t.gql(ping, undefined, key)).status).toBe(429);
      // Other accounts' keys have their own.
      await spend(limits.apiKey, apiKey);
    });
  });
});

describe('signIn attempts', () => {
  let account: TestAccount;
  const signIn = (email: string, password: string, headers: Record<string, string> = {}) =>
    t.gql<{ signIn: { token: string } }>(signInMutation, { input: { email, password } }, headers);

  beforeAll(async () => {
    startAfresh();
    account = await signUp(t);
  });

  it('refuses an email after its failures, even with the right password, until the window passes', async () => {
    for (let i = 0; i < limits.signInFailures; i++) {
      expect(codeOf(await signIn(account.email, 'wrong password'))).toBe('UNAUTHENTICATED');
    }
    const locked = await signIn(account.email, account.password);
    expect(codeOf(locked)).toBe('RATE_LIMITED');
    expect(locked.status).toBe(429);
    expect(locked.body.errors?.[0]?.extensions?.retryAfter).toBe(SIGNIN_WINDOW_MS / 1000);

    now += SIGNIN_WINDOW_MS;
    expect((await signIn(account.email, account.password)).body.data?.signIn.token).toEqual(
      expect.any(String),
    );
  });

  it('matches the email whatever its letter case', async () => {
    for (let i = 0; i < limits.signInFailures; i++) {
      await signIn(i % 2 === 0 ? account.email.toUpperCase() : account.email, 'wrong password');
    }
    expect(codeOf(await signIn(` ${account.email.toUpperCase()} `, account.password))).toBe('RATE_LIMITED');
  });

  it('refuses an address after failures on different emails', async () => {
    for (let i = 0; i < limits.signInFailures; i++) {
      expect(codeOf(await signIn(`nobody-${randomUUID()}@example.com`, 'wrong password'))).toBe(
        'UNAUTHENTICATED',
      );
    }
    expect(codeOf(await signIn(account.email, account.password))).toBe('RATE_LIMITED');
  });

  it('does not count successful sign-ins', async () => {
    for (let i = 0; i < limits.signInFailures * 2; i++) {
      expect((await signIn(account.email, account.password)).body.errors).toBeUndefined();
    }
    expect(codeOf(await signIn(account.email, 'wrong password'))).toBe('UNAUTHENTICATED');
  });

  it('lets no more concurrent wrong guesses through than the limit', async () => {
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => signIn(account.email, 'wrong password')),
    );
    const codes = responses.map(codeOf);
    expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(limits.signInFailures);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(12 - limits.signInFailures);
  });

  it('counts each aliased signIn of one operation as an attempt', async () => {
    const aliases = Array.from(
      { length: limits.signInFailures + 1 },
      (_, i) => `s${i}: signIn(input: { email: "${account.email}", password: "wrong ${i}" }) { token }`,
    );
    const response = await t.gql(`mutation { ${aliases.join(' ')} }`);
    expect(codeOf(response)).toBe('RATE_LIMITED');
    // Refused before any of them ran: none counted, so one more guess is still answered.
    expect(codeOf(await signIn(account.email, 'wrong password'))).toBe('UNAUTHENTICATED');
  });
});

describe('currentPassword guesses', () => {
  let account: TestAccount;
  const newPassword = 'a brand new password';
  const changePassword = (currentPassword: string) =>
    t.gql(
      'mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }',
      { id: account.id, input: { password: newPassword, currentPassword } },
      account.headers,
    );
  const signIn = (password: string) => t.gql(signInMutation, { input: { email: account.email, password } });

  beforeEach(async () => {
    account = await signUp(t);
  });

  it("spend the account's sign-in failures: then both they and signIn are RATE_LIMITED", async () => {
    for (let i = 0; i < limits.signInFailures; i++) {
      expect(codeOf(await changePassword(`wrong guess ${i}`))).toBe('BAD_USER_INPUT');
    }
    for (const refused of [await changePassword(account.password), await signIn(account.password)]) {
      expect(codeOf(refused)).toBe('RATE_LIMITED');
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0]?.extensions?.retryAfter).toBe(SIGNIN_WINDOW_MS / 1000);
    }
    now += SIGNIN_WINDOW_MS;
    expect((await changePassword(account.password)).body.errors).toBeUndefined();
  });

  it('let no more concurrent wrong guesses through than the limit', async () => {
    // Within the users' budget of 7 calls.
    const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => changePassword(`wrong ${i}`)));
    const codes = responses.map(codeOf);
    expect(codes.filter((code) => code === 'BAD_USER_INPUT')).toHaveLength(limits.signInFailures);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(6 - limits.signInFailures);
  });

  it('count together with failed sign-ins of the same account', async () => {
    for (let i = 1; i < limits.signInFailures; i++) {
      expect(codeOf(await signIn(`wrong guess ${i}`))).toBe('UNAUTHENTICATED');
    }
    expect(codeOf(await changePassword('wrong guess'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await changePassword(account.password))).toBe('RATE_LIMITED');
  });

  it('cost nothing when right', async () => {
    let current = account.password;
    for (let i = 0; i <= limits.signInFailures; i++) {
      expect((await changePassword(current)).body.errors).toBeUndefined();
      current = newPassword;
    }
    expect(codeOf(await changePassword('wrong guess'))).toBe('BAD_USER_INPUT');
  });
});

describe('email changes', () => {
  it("are limited as sign-ups are, sharing the address's sign-up budget", async () => {
    const prober = await signUp(t);
    const { email: taken } = await signUp(t);
    const changeEmail = (email: string) =>
      t.gql(
        'mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }',
        { id: prober.id, input: { email } },
        prober.headers,
      );
    // Two sign-ups spent, so two probes are answered.
    for (let i = 2; i < limits.signUp; i++) expect(codeOf(await changeEmail(taken))).toBe('CONFLICT');
    const refused = await changeEmail(taken);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.body.errors?.[0]?.extensions?.retryAfter).toBe(SIGNUP_WINDOW_MS / 1000);
    expect(codeOf(await changeEmail(`free-${randomUUID()}@example.com`))).toBe('RATE_LIMITED');
    await expect(signUp(t)).rejects.toThrow(/RATE_LIMITED/);
    // Renaming is not an email change.
    const renamed = await t.gql(
      'mutation($id: ID!) { updateUser(id: $id, input: { name: "Renamed" }) { name } }',
      { id: prober.id },
      prober.headers,
    );
    expect(renamed.body.data).toEqual({ updateUser: { name: 'Renamed' } });
  });
});

describe('signUp attempts', () => {
  it('allows a few sign-ups per address per window', async () => {
    for (let i = 0; i < limits.signUp; i++) await signUp(t);
    await expect(signUp(t)).rejects.toThrow(/RATE_LIMITED/);
    now += SIGNUP_WINDOW_MS;
    await signUp(t);
  });

  it('counts failed sign-ups too (each one probes whether an email exists)', async () => {
    const { email } = await signUp(t);
    for (let i = 1; i < limits.signUp; i++) await expect(signUp(t, { email })).rejects.toThrow(/CONFLICT/);
    await expect(signUp(t)).rejects.toThrow(/RATE_LIMITED/);
  });
});
