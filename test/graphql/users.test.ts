import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema.js';
import { createAdmin, manyAccountsEnv, signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: TestAccount;
beforeAll(async () => {
  t = await startTestApp(manyAccountsEnv);
  admin = await createAdmin(t);
});
afterAll(() => t.close());

const signUpMutation =
  'mutation($input: SignUpInput!) { signUp(input: $input) { user { id name email role } } }';
const signInMutation = 'mutation($input: SignInInput!) { signIn(input: $input) { token user { id } } }';
const updateMutation =
  'mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id name email role } }';

let counter = 0;
const freshEmail = () => `person-${Date.now()}-${++counter}@example.com`;

interface ErrorBody {
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** The BAD_USER_INPUT fields of a response, or fails the test. */
function badFields(body: ErrorBody): string[] {
  expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  const fields = body.errors?.[0]?.extensions?.fields as { field: string }[] | undefined;
  return (fields ?? []).map((f) => f.field).sort();
}

describe('signUp validation', () => {
  const valid = () => ({ name: 'Ada Lovelace', email: freshEmail(), password: 'correct horse' });

  it.each([
    ['name shorter than 2 after trimming', { name: ' A ' }, 'input.name'],
    ['name longer than 255', { name: 'n'.repeat(256) }, 'input.name'],
    ['email without @', { email: 'not-an-email' }, 'input.email'],
    ['email longer than 255', { email: `${'e'.repeat(250)}@example.com` }, 'input.email'],
    ['disposable email domain', { email: 'someone@mailinator.com' }, 'input.email'],
    ['password shorter than 8', { password: 'seven77' }, 'input.password'],
    ['password longer than 128', { password: 'p'.repeat(129) }, 'input.password'],
  ])('refuses %s', async (_label, override, field) => {
    const { body } = await t.gql(signUpMutation, { input: { ...valid(), ...override } });
    expect(badFields(body)).toEqual([field]);
    expect(body.errors?.[0]?.message).not.toMatch(/zod|stack|\n/i);
  });

  it('lists every failing field at once', async () => {
    const { body } = await t.gql(signUpMutation, { input: { name: '', email: 'x', password: 'short' } });
    expect(badFields(body)).toEqual(['input.email', 'input.name', 'input.password']);
  });

  it('accepts the boundaries and trims name and email', async () => {
    const email = freshEmail();
    const { body } = await t.gql(signUpMutation, {
      input: { name: `  ${'n'.repeat(255)}  `, email: `  ${email.toUpperCase()}  `, password: 'p'.repeat(8) },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      signUp: { user: { name: 'n'.repeat(255), email: email.toUpperCase() } },
    });
    const long = await t.gql(signUpMutation, {
      input: { ...valid(), name: 'ab', password: 'p'.repeat(128) },
    });
    expect(long.body.errors).toBeUndefined();
  });

  it('refuses oversized strings without a server error', async () => {
    const huge = 'x'.repeat(200_000);
    for (const input of [
      { ...valid(), name: huge },
      { ...valid(), email: `${huge}@example.com` },
      { ...valid(), password: huge },
    ]) {
      const { status, body } = await t.gql(signUpMutation, { input });
      expect(status).toBeLessThan(500);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it.each([
    ['a number for a string', { name: 12345 }],
    ['null for a required field', { password: null }],
    ['a missing required field', { email: undefined }],
    ['a role the input does not have', { role: 'ADMIN' }],
  ])('refuses %s', async (_label, override) => {
    const { status, body } = await t.gql(signUpMutation, { input: { ...valid(), ...override } });
    expect(status).toBeLessThan(500);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.data ?? null).toBeNull();
  });

  it('never creates an admin, whatever the document says', async () => {
    const email = freshEmail();
    const { body } = await t.gql(
      `mutation { signUp(input: { name: "Mallory", email: "${email}", password: "password123", role: ADMIN }) { user { role } } }`,
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const rows = await t.app.database.db.select().from(users).where(eq(users.email, email));
    expect(rows).toEqual([]);
  });

  it('treats emails case-insensitively: a taken one is a CONFLICT', async () => {
    const account = await signUp(t);
    const { body } = await t.gql(signUpMutation, {
      input: { ...valid(), email: account.email.toUpperCase() },
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(body.errors?.[0]?.message).toBe('An account with this email already exists');
  });

  it('stores an argon2id hash, never the password', async () => {
    const account = await signUp(t);
    const [row] = await t.app.database.db.select().from(users).where(eq(users.id, account.userId));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row?.passwordHash).not.toContain(account.password);
  });
});

describe('signIn', () => {
  it('gives the same answer for an unknown email and a wrong password', async () => {
    const account = await signUp(t);
    const unknown = await t.gql(signInMutation, {
      input: { email: freshEmail(), password: account.password },
    });
    const wrong = await t.gql(signInMutation, {
      input: { email: account.email, password: 'not the password' },
    });
    for (const { body } of [unknown, wrong]) {
      expect(body.data).toBeNull();
      expect(body.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
        ['Invalid email or password', 'UNAUTHENTICATED'],
      ]);
    }
  });

  it('accepts any letter case and surrounding spaces in the email', async () => {
    const account = await signUp(t);
    const { body } = await t.gql(signInMutation, {
      input: { email: `  ${account.email.toUpperCase()} `, password: account.password },
    });
    expect(body.data).toMatchObject({ signIn: { user: { id: account.id } } });
  });

  it('refuses a malformed email or an oversized password as bad input', async () => {
    const a = await t.gql(signInMutation, { input: { email: 'nope', password: 'whatever1' } });
    expect(badFields(a.body)).toEqual(['input.email']);
    const b = await t.gql(signInMutation, { input: { email: freshEmail(), password: 'p'.repeat(129) } });
    expect(badFields(b.body)).toEqual(['input.password']);
  });
});

describe('users', () => {
  const query = `query($first: Int, $after: String, $role: Role, $search: String) {
    users(first: $first, after: $after, role: $role, search: $search) {
      totalCount
      edges { cursor node { id name email role } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  interface Page {
    users: {
      totalCount: number;
      edges: { cursor: string; node: { id: string; name: string; email: string; role: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  }
  const tag = `grp${Date.now()}`;
  let members: TestAccount[];

  beforeAll(async () => {
    members = [];
    for (const name of ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']) {
      members.push(
        await signUp(t, { name: `${name} ${tag}`, email: `${name.toLowerCase()}.${tag}@example.com` }),
      );
    }
    members.push(await signUp(t, { name: 'Percent 100%', email: `percent.${tag}@example.com` }));
  });

  it('pages with cursors and counts every match', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const response: GraphQLResponse<Page> = await t.gql<Page>(
        query,
        { first: 2, after, search: tag },
        admin.headers,
      );
      expect(response.body.errors).toBeUndefined();
      const page = response.body.data?.users;
      if (!page) throw new Error('no page');
      expect(page.totalCount).toBe(6);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(members.map((m) => m.id));
  });

  it('searches name and email case-insensitively, with wildcards taken literally', async () => {
    const byName = await t.gql<Page>(query, { search: `CHARLIE ${tag.toUpperCase()}` }, admin.headers);
    expect(byName.body.data?.users.edges.map((e) => e.node.name)).toEqual([`Charlie ${tag}`]);
    const byEmail = await t.gql<Page>(query, { search: `DELTA.${tag}@` }, admin.headers);
    expect(byEmail.body.data?.users.edges.map((e) => e.node.name)).toEqual([`Delta ${tag}`]);
    const percent = await t.gql<Page>(query, { search: '100%' }, admin.headers);
    expect(percent.body.data?.users.edges.map((e) => e.node.name)).toEqual(['Percent 100%']);
    const underscore = await t.gql<Page>(query, { search: `_${tag}` }, admin.headers);
    expect(underscore.body.data?.users.totalCount).toBe(0);
  });

  it('filters by role', async () => {
    const admins = await t.gql<Page>(query, { role: 'ADMIN', first: 100 }, admin.headers);
    const roles = new Set(admins.body.data?.users.edges.map((e) => e.node.role));
    expect([...roles]).toEqual(['ADMIN']);
    expect(admins.body.data?.users.edges.map((e) => e.node.id)).toContain(admin.id);
    const none = await t.gql<Page>(query, { role: 'ADMIN', search: tag }, admin.headers);
    expect(none.body.data?.users).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('reads a page and its total in one SQL statement (besides resolving the viewer)', async () => {
    const before = t.queries.length;
    const { body } = await t.gql<Page>(query, { first: 2, search: tag }, admin.headers);
    expect(body.data?.users.totalCount).toBe(6);
    const statements = t.queries.slice(before);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/from "sessions"/);
    expect(statements[1]).toMatch(/count\(\*\)/);
  });

  it('refuses oversized pages, foreign cursors and long searches as bad input', async () => {
    for (const variables of [{ first: 1000 }, { after: 'not-a-cursor' }, { search: 's'.repeat(256) }]) {
      const { body } = await t.gql(query, variables, admin.headers);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('updateUser', () => {
  it('changes name and email, re-checking email uniqueness case-insensitively', async () => {
    const account = await signUp(t);
    const taken = await signUp(t);
    const newEmail = freshEmail();
    const ok = await t.gql(
      updateMutation,
      { id: account.id, input: { name: ' New Name ', email: newEmail } },
      account.headers,
    );
    expect(ok.body.data).toEqual({
      updateUser: { id: account.id, name: 'New Name', email: newEmail, role: 'USER' },
    });

    const clash = await t.gql(
      updateMutation,
      { id: account.id, input: { email: taken.email.toUpperCase() } },
      account.headers,
    );
    expect(clash.body.errors?.map((e) => e.extensions?.code)).toEqual(['CONFLICT']);
    expect(JSON.stringify(clash.body)).not.toMatch(/duplicate key|users_email_lower_key|23505/);
  });

  it('validates like signUp', async () => {
    const account = await signUp(t);
    const { body } = await t.gql(
      updateMutation,
      { id: account.id, input: { name: 'x', email: 'bad', password: 'short' } },
      account.headers,
    );
    expect(badFields(body)).toEqual(['input.email', 'input.name', 'input.password']);
  });

  it('changing your password needs the current one and signs out your other sessions', async () => {
    const account = await signUp(t);
    const second = await t.gql<{ signIn: { token: string } }>(signInMutation, {
      input: { email: account.email, password: account.password },
    });
    const otherSession = { authorization: `Bearer ${second.body.data?.signIn.token}` };

    const wrong = await t.gql(
      updateMutation,
      { id: account.id, input: { password: 'new password 1', currentPassword: 'not it at all' } },
      account.headers,
    );
    expect(badFields(wrong.body)).toEqual(['input.currentPassword']);

    const ok = await t.gql(
      updateMutation,
      { id: account.id, input: { password: 'new password 1', currentPassword: account.password } },
      account.headers,
    );
    expect(ok.body.errors).toBeUndefined();
    expect((await t.gql('{ me { id } }', {}, account.headers)).body.data).toEqual({ me: { id: account.id } });
    const revoked = await t.gql('{ me { id } }', {}, otherSession);
    expect(revoked.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const old = await t.gql(signInMutation, { input: { email: account.email, password: account.password } });
    expect(old.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const fresh = await t.gql(signInMutation, {
      input: { email: account.email, password: 'new password 1' },
    });
    expect(fresh.body.errors).toBeUndefined();
  });

  it('is NOT_FOUND for an admin naming an account that does not exist, BAD_USER_INPUT for a forged id', async () => {
    const missing = Buffer.from('User:99999999').toString('base64');
    const a = await t.gql(updateMutation, { id: missing, input: { name: 'Ghost' } }, admin.headers);
    expect(a.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    const forged = Buffer.from('User:abc').toString('base64');
    const b = await t.gql(updateMutation, { id: forged, input: { name: 'Ghost' } }, admin.headers);
    expect(b.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const c = await t.gql(updateMutation, { id: 'garbage', input: { name: 'Ghost' } }, admin.headers);
    expect(c.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a user probing for other ids, existing or not, alike', async () => {
    const account = await signUp(t);
    const missing = Buffer.from('User:99999999').toString('base64');
    for (const id of [missing, admin.id]) {
      const { body } = await t.gql('query($id: ID!) { user(id: $id) { id } }', { id }, account.headers);
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  });
});

describe('deleteUser', () => {
  it('takes sessions and API keys with the account and clears your own cookie', async () => {
    const account = await signUp(t);
    const key = await t.gql<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(input: { name: "k" }) { secret } }',
      {},
      account.headers,
    );
    const secret = key.body.data?.createApiKey.secret ?? '';
    const { body, headers } = await t.gql(
      'mutation($id: ID!) { deleteUser(id: $id) { id } }',
      { id: account.id },
      account.headers,
    );
    expect(body.data).toEqual({ deleteUser: { id: account.id } });
    expect(headers.get('set-cookie')).toMatch(/^token=; .*Max-Age=0/);
    for (const credential of [account.headers, { 'x-api-key': secret }]) {
      const after = await t.gql('{ me { id } }', {}, credential);
      expect(after.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const signIn = await t.gql(signInMutation, {
      input: { email: account.email, password: account.password },
    });
    expect(signIn.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
