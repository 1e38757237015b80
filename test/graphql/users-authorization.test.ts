/**
 * The authorization matrix: guest, the account's owner, another user and an
 * admin × every account query and mutation. Each cell runs in a fresh set of
 * accounts, and asserts either the data (and its effect) or the error code —
 * plus, for refusals, that nothing changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin, manyAccountsEnv, signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(manyAccountsEnv);
});
afterAll(() => t.close());

type Actor = 'guest' | 'owner' | 'other' | 'admin';
const actors: Actor[] = ['guest', 'owner', 'other', 'admin'];

interface World {
  owner: TestAccount;
  other: TestAccount;
  admin: TestAccount;
  ownerKeyId: string;
  headers: Record<Actor, Record<string, string>>;
}

type Data = Record<string, unknown>;
/** An error code the cell must return, or a check of its data. */
type Expectation = string | ((data: Data, world: World) => void | Promise<void>);

interface Operation {
  name: string;
  query: string;
  variables: (world: World) => Record<string, unknown>;
  expect: Record<Actor, Expectation>;
}

const signedIn = ['owner', 'other', 'admin'] as const;

/** The same kind of expectation for several actors. */
function forActors<A extends Actor>(
  list: readonly A[],
  make: (actor: A) => Expectation,
): Record<A, Expectation> {
  const result = {} as Record<A, Expectation>;
  for (const actor of list) result[actor] = make(actor);
  return result;
}

async function makeWorld(): Promise<World> {
  const owner = await signUp(t, { name: 'Owner' });
  const other = await signUp(t, { name: 'Other' });
  const admin = await createAdmin(t);
  const key = await t.gql<{ createApiKey: { apiKey: { id: string } } }>(
    'mutation { createApiKey(input: { name: "owner key" }) { apiKey { id } } }',
    {},
    owner.headers,
  );
  const ownerKeyId = key.body.data?.createApiKey.apiKey.id;
  if (!ownerKeyId) throw new Error(JSON.stringify(key.body));
  return {
    owner,
    other,
    admin,
    ownerKeyId,
    headers: { guest: {}, owner: owner.headers, other: other.headers, admin: admin.headers },
  };
}

async function codeOf(query: string, headers: Record<string, string>) {
  const { body } = await t.gql(query, {}, headers);
  return body.errors?.[0]?.extensions?.code;
}

/** After a refusal: the owner's account, session and key are as they were. */
async function expectOwnerUntouched(world: World) {
  const { body } = await t.gql('{ me { name role } apiKeys { revokedAt } }', {}, world.owner.headers);
  expect(body.data).toEqual({ me: { name: 'Owner', role: 'USER' }, apiKeys: [{ revokedAt: null }] });
  const signIn = await t.gql('mutation($i: SignInInput!) { signIn(input: $i) { token } }', {
    i: { email: world.owner.email, password: world.owner.password },
  });
  expect(signIn.body.errors).toBeUndefined();
}

const userFields = 'id name email role';

const operations: Operation[] = [
  {
    name: 'me',
    query: `{ me { ${userFields} } }`,
    variables: () => ({}),
    expect: {
      guest: (data) => expect(data.me).toBeNull(),
      owner: (data, w) =>
        expect(data.me).toMatchObject({ id: w.owner.id, email: w.owner.email, role: 'USER' }),
      other: (data, w) => expect(data.me).toMatchObject({ id: w.other.id, email: w.other.email }),
      admin: (data, w) => expect(data.me).toMatchObject({ id: w.admin.id, role: 'ADMIN' }),
    },
  },
  {
    name: 'user(id)',
    query: `query($id: ID!) { user(id: $id) { ${userFields} } }`,
    variables: (w) => ({ id: w.owner.id }),
    expect: {
      guest: 'UNAUTHENTICATED',
      owner: (data, w) => expect(data.user).toMatchObject({ id: w.owner.id, email: w.owner.email }),
      other: 'FORBIDDEN',
      admin: (data, w) => expect(data.user).toMatchObject({ id: w.owner.id, email: w.owner.email }),
    },
  },
  {
    name: 'node(id) of a User',
    query: `query($id: ID!) { node(id: $id) { id ... on User { name email } } }`,
    variables: (w) => ({ id: w.owner.id }),
    // null, as for an id that matches nothing: node(id) does not tell who has an account.
    expect: {
      guest: (data) => expect(data.node).toBeNull(),
      owner: (data, w) => expect(data.node).toEqual({ id: w.owner.id, name: 'Owner', email: w.owner.email }),
      other: (data) => expect(data.node).toBeNull(),
      admin: (data, w) => expect(data.node).toEqual({ id: w.owner.id, name: 'Owner', email: w.owner.email }),
    },
  },
  {
    name: 'users',
    query: `query($search: String) { users(first: 10, search: $search) { totalCount edges { node { ${userFields} } } } }`,
    variables: (w) => ({ search: w.owner.email }),
    expect: {
      guest: 'UNAUTHENTICATED',
      owner: 'FORBIDDEN',
      other: 'FORBIDDEN',
      admin: (data, w) =>
        expect(data.users).toEqual({
          totalCount: 1,
          edges: [{ node: { id: w.owner.id, name: 'Owner', email: w.owner.email, role: 'USER' } }],
        }),
    },
  },
  {
    name: 'signUp',
    query: `mutation($input: SignUpInput!) { signUp(input: $input) { token expiresAt user { ${userFields} } } }`,
    variables: (w) => ({
      input: { name: 'Newcomer', email: `new-${w.owner.userId}@example.com`, password: 'a fine password' },
    }),
    // Whoever asks, the new account is a plain USER.
    expect: forActors(actors, () => (data, w) => {
      expect(data.signUp).toMatchObject({
        token: expect.any(String),
        user: { name: 'Newcomer', email: `new-${w.owner.userId}@example.com`, role: 'USER' },
      });
    }),
  },
  {
    name: 'signIn',
    query: `mutation($input: SignInInput!) { signIn(input: $input) { token user { ${userFields} } } }`,
    variables: (w) => ({ input: { email: w.owner.email, password: w.owner.password } }),
    expect: forActors(actors, () => async (data, w) => {
      expect(data.signIn).toMatchObject({ user: { id: w.owner.id, role: 'USER' } });
      const { token } = data.signIn as { token: string };
      expect(await codeOf('{ me { id } }', { authorization: `Bearer ${token}` })).toBeUndefined();
    }),
  },
  {
    name: 'signOut',
    query: 'mutation { signOut }',
    variables: () => ({}),
    expect: {
      guest: 'UNAUTHENTICATED',
      ...forActors(signedIn, (actor) => async (data, w) => {
        expect(data.signOut).toBe(true);
        expect(await codeOf('{ me { id } }', w.headers[actor])).toBe('UNAUTHENTICATED');
      }),
    },
  },
  {
    name: 'updateUser(name)',
    query: `mutation($id: ID!) { updateUser(id: $id, input: { name: "Renamed" }) { ${userFields} } }`,
    variables: (w) => ({ id: w.owner.id }),
    expect: {
      guest: 'UNAUTHENTICATED',
      owner: (data, w) => expect(data.updateUser).toMatchObject({ id: w.owner.id, name: 'Renamed' }),
      other: 'FORBIDDEN',
      admin: (data, w) => expect(data.updateUser).toMatchObject({ id: w.owner.id, name: 'Renamed' }),
    },
  },
  {
    name: 'updateUser(role)',
    query: `mutation($id: ID!) { updateUser(id: $id, input: { role: ADMIN }) { ${userFields} } }`,
    variables: (w) => ({ id: w.owner.id }),
    expect: {
      guest: 'UNAUTHENTICATED',
      owner: 'FORBIDDEN',
      other: 'FORBIDDEN',
      admin: async (data, w) => {
        expect(data.updateUser).toMatchObject({ id: w.owner.id, role: 'ADMIN' });
        // Takes effect on the owner's very next request, with the same token.
        expect(await codeOf('{ users { totalCount } }', w.owner.headers)).toBeUndefined();
      },
    },
  },
  {
    name: 'updateUser(password) without currentPassword',
    query: `mutation($id: ID!) { updateUser(id: $id, input: { password: "brand new password" }) { id } }`,
    variables: (w) => ({ id: w.owner.id }),
    expect: {
      guest: 'UNAUTHENTICATED',
      // Owners must prove they know the current password…
      owner: 'BAD_USER_INPUT',
      other: 'FORBIDDEN',
      // …admins reset it, and the owner's sessions end.
      admin: async (data, w) => {
        expect(data.updateUser).toEqual({ id: w.owner.id });
        expect(await codeOf('{ me { id } }', w.owner.headers)).toBe('UNAUTHENTICATED');
        const withNew = await t.gql('mutation($i: SignInInput!) { signIn(input: $i) { token } }', {
          i: { email: w.owner.email, password: 'brand new password' },
        });
        expect(withNew.body.errors).toBeUndefined();
      },
    },
  },
  {
    name: 'updateUser(password) with currentPassword',
    query: `mutation($id: ID!, $current: String!) {
      updateUser(id: $id, input: { password: "brand new password", currentPassword: $current }) { id }
    }`,
    variables: (w) => ({ id: w.owner.id, current: w.owner.password }),
    expect: {
      guest: 'UNAUTHENTICATED',
      owner: async (data, w) => {
        expect(data.updateUser).toEqual({ id: w.owner.id });
        // The session that changed it stays signed in.
        expect(await codeOf('{ me { id } }', w.owner.headers)).toBeUndefined();
      },
      other: 'FORBIDDEN',
      admin: (data, w) => expect(data.updateUser).toEqual({ id: w.owner.id }),
    },
  },
  {
    name: 'deleteUser',
    query: `mutation($id: ID!) { deleteUser(id: $id) { ${userFields} } }`,
    variables: (w) => ({ id: w.owner.id }),
    expect: {
      guest: 'UNAUTHENTICATED',
      owner: async (data, w) => {
        expect(data.deleteUser).toMatchObject({ id: w.owner.id, email: w.owner.email });
        expect(await codeOf('{ me { id } }', w.owner.headers)).toBe('UNAUTHENTICATED');
      },
      other: 'FORBIDDEN',
      admin: async (data, w) => {
        expect(data.deleteUser).toMatchObject({ id: w.owner.id });
        expect(await codeOf('{ me { id } }', w.owner.headers)).toBe('UNAUTHENTICATED');
        const { body } = await t.gql(
          'query($id: ID!) { user(id: $id) { id } }',
          { id: w.owner.id },
          w.admin.headers,
        );
        expect(body.data).toEqual({ user: null });
      },
    },
  },
  {
    name: 'apiKeys',
    query: '{ apiKeys { id name } }',
    variables: () => ({}),
    expect: {
      guest: 'UNAUTHENTICATED',
      owner: (data, w) => expect(data.apiKeys).toEqual([{ id: w.ownerKeyId, name: 'owner key' }]),
      // Everyone lists their own keys only, admins included.
      other: (data) => expect(data.apiKeys).toEqual([]),
      admin: (data) => expect(data.apiKeys).toEqual([]),
    },
  },
  {
    name: 'createApiKey',
    query: 'mutation { createApiKey(input: { name: "mine", write: true }) { secret apiKey { name write } } }',
    variables: () => ({}),
    expect: {
      guest: 'UNAUTHENTICATED',
      ...forActors(signedIn, () => (data) => {
        expect(data.createApiKey).toEqual({
          secret: expect.stringMatching(/^acq_/),
          apiKey: { name: 'mine', write: true },
        });
      }),
    },
  },
  {
    name: "revokeApiKey(owner's key)",
    query: 'mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }',
    variables: (w) => ({ id: w.ownerKeyId }),
    expect: {
      guest: 'UNAUTHENTICATED',
      owner: (data, w) =>
        expect(data.revokeApiKey).toEqual({ id: w.ownerKeyId, revokedAt: expect.any(String) }),
      // Not FORBIDDEN: another user's key ids are not confirmed to exist.
      other: 'NOT_FOUND',
      admin: (data, w) =>
        expect(data.revokeApiKey).toEqual({ id: w.ownerKeyId, revokedAt: expect.any(String) }),
    },
  },
];

describe.each(operations)('$name', (operation) => {
  it.each(actors)('as %s', async (actor) => {
    const world = await makeWorld();
    const { status, body } = await t.gql(operation.query, operation.variables(world), world.headers[actor]);
    expect(status).toBe(200);
    const expected = operation.expect[actor];
    if (typeof expected === 'string') {
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual([expected]);
      if (operation.query.trimStart().startsWith('mutation') && !/signUp|signIn/.test(operation.name)) {
        await expectOwnerUntouched(world);
      }
    } else {
      expect(body.errors).toBeUndefined();
      await expected(body.data ?? {}, world);
    }
  });
});
