/** API keys for partner systems: create (secret once), use, read-only vs write, revoke, expire, list. */
import { createHash, randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '../../src/db/schema.js';
import { createAdmin, manyAccountsEnv, signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(manyAccountsEnv);
});
afterAll(() => t.close());

const createMutation = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id name prefix write createdAt expiresAt lastUsedAt revokedAt } }
}`;
const createCompanyMutation =
  'mutation($input: CreateCompanyInput!) { createCompany(input: $input) { name } }';
const companyInput = () => ({ input: { name: `Partner Co ${randomUUID()}` } });

interface Created {
  createApiKey: {
    secret: string;
    apiKey: { id: string; prefix: string; write: boolean; expiresAt: string | null };
  };
}

async function createKey(owner: TestAccount, input: Record<string, unknown> = {}) {
  const { body } = await t.gql<Created>(
    createMutation,
    { input: { name: 'partner', ...input } },
    owner.headers,
  );
  const created = body.data?.createApiKey;
  if (!created) throw new Error(JSON.stringify(body.errors));
  return created;
}

const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  body.errors?.map((e) => e.extensions?.code);

describe('creating a key', () => {
  it('returns the secret once, stores only its SHA-256, and lists the key without it', async () => {
    const owner = await signUp(t);
    const { secret, apiKey } = await createKey(owner);
    expect(secret).toMatch(/^acq_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ prefix: secret.slice(0, 12), write: false, expiresAt: null });

    const [row] = await t.app.database.db.select().from(apiKeys).where(eq(apiKeys.prefix, apiKey.prefix));
    expect(row?.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(secret);

    const listed = await t.gql(
      '{ apiKeys { id name prefix write lastUsedAt revokedAt } }',
      {},
      owner.headers,
    );
    expect(listed.body.data).toEqual({
      apiKeys: [
        {
          id: apiKey.id,
          name: 'partner',
          prefix: apiKey.prefix,
          write: false,
          lastUsedAt: null,
          revokedAt: null,
        },
      ],
    });
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    // There is no field to read it back.
    expect(codes((await t.gql('{ apiKeys { secret } }', {}, owner.headers)).body)).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('validates name and refuses an expiry in the past', async () => {
    const owner = await signUp(t);
    const past = await t.gql(
      createMutation,
      { input: { name: 'old', expiresAt: '2000-01-01T00:00:00Z' } },
      owner.headers,
    );
    expect(past.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.expiresAt', message: 'must be in the future' }],
    });
    const unnamed = await t.gql(createMutation, { input: { name: ' ' } }, owner.headers);
    expect(codes(unnamed.body)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('how many keys an account holds', () => {
  const cap = 10; // API_KEYS_PER_ACCOUNT's default
  const tryCreate = (owner: TestAccount) =>
    t.gql<Created>(createMutation, { input: { name: 'partner' } }, owner.headers);

  it('caps live keys per account; revoked and expired keys make room', async () => {
    const owner = await signUp(t);
    const keys = [];
    for (let i = 0; i < cap; i++) keys.push(await createKey(owner));
    const refused = await tryCreate(owner);
    expect(codes(refused.body)).toEqual(['CONFLICT']);
    expect(refused.body.errors?.[0]?.message).toMatch(/10 live API keys.*revoke one/);
    expect(refused.body.errors?.[0]?.extensions?.limit).toBe(cap);
    // Another account is not affected.
    await createKey(await signUp(t));

    await t.gql(
      'mutation($id: ID!) { revokeApiKey(id: $id) { id } }',
      { id: keys[0]?.apiKey.id },
      owner.headers,
    );
    await createKey(owner);
    expect(codes((await tryCreate(owner)).body)).toEqual(['CONFLICT']);

    await t.app.database.db
      .update(apiKeys)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(apiKeys.prefix, keys[1]?.apiKey.prefix ?? ''));
    await createKey(owner);
    expect(codes((await tryCreate(owner)).body)).toEqual(['CONFLICT']);
  });

  it('holds under concurrent createApiKey calls', async () => {
    const owner = await signUp(t);
    const responses = await Promise.all(Array.from({ length: cap + 8 }, () => tryCreate(owner)));
    expect(responses.filter((r) => r.body.data?.createApiKey.secret)).toHaveLength(cap);
    expect(responses.flatMap((r) => codes(r.body) ?? [])).toEqual(Array(8).fill('CONFLICT'));
    const [{ n } = { n: -1 }] = await t.app.database.db
      .select({ n: count() })
      .from(apiKeys)
      .where(eq(apiKeys.userId, owner.userId));
    expect(n).toBe(cap);
  });
});

describe('using a key', () => {
  it('acts as its owner via x-api-key and via Authorization: Bearer', async () => {
    const owner = await signUp(t);
    const { secret } = await createKey(owner);
    const transports: Record<string, string>[] = [
      { 'x-api-key': secret },
      { authorization: `Bearer ${secret}` },
    ];
    for (const headers of transports) {
      const { body } = await t.gql('{ me { id } }', {}, headers);
      expect(body).toEqual({ data: { me: { id: owner.id } } });
    }
  });

  it('is read-only unless created with write access', async () => {
    const owner = await signUp(t);
    const readOnly = await createKey(owner);
    const refused = await t.gql(createCompanyMutation, companyInput(), { 'x-api-key': readOnly.secret });
    expect(codes(refused.body)).toEqual(['FORBIDDEN']);
    expect(codes((await t.gql('mutation { signOut }', {}, { 'x-api-key': readOnly.secret })).body)).toEqual([
      'FORBIDDEN',
    ]);

    const writer = await createKey(owner, { write: true });
    expect(writer.apiKey.write).toBe(true);
    const input = companyInput();
    const allowed = await t.gql(createCompanyMutation, input, { 'x-api-key': writer.secret });
    expect(allowed.body).toEqual({ data: { createCompany: { name: input.input.name } } });
  });

  it('cannot mint further keys, even with write access', async () => {
    const owner = await signUp(t);
    const { secret } = await createKey(owner, { write: true });
    const { body } = await t.gql(createMutation, { input: { name: 'child' } }, { 'x-api-key': secret });
    expect(codes(body)).toEqual(['FORBIDDEN']);
  });

  it('never manages accounts, whatever the key: that needs a signed-in session', async () => {
    const admin = await createAdmin(t);
    const owner = await signUp(t);
    const adminKey = (await createKey(admin, { write: true })).secret;
    const ownerKey = await createKey(owner, { write: true });
    const byKey = (secret: string, query: string, variables: Record<string, unknown>) =>
      t.gql(query, variables, { 'x-api-key': secret });
    const updateUser =
      'mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }';

    // A leaked admin key cannot promote anyone, nor touch any account.
    for (const input of [
      { role: 'ADMIN' },
      { email: `taken-over-${randomUUID()}@example.com` },
      { password: 'attacker password' },
      { name: 'Renamed by key' },
    ]) {
      expect(codes((await byKey(adminKey, updateUser, { id: owner.id, input })).body)).toEqual(['FORBIDDEN']);
      expect(codes((await byKey(ownerKey.secret, updateUser, { id: owner.id, input })).body)).toEqual([
        'FORBIDDEN',
      ]);
    }
    const deleteUser = 'mutation($id: ID!) { deleteUser(id: $id) { id } }';
    expect(codes((await byKey(ownerKey.secret, deleteUser, { id: owner.id })).body)).toEqual(['FORBIDDEN']);
    expect(codes((await byKey(adminKey, deleteUser, { id: owner.id })).body)).toEqual(['FORBIDDEN']);
    const revoke = 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }';
    expect(codes((await byKey(ownerKey.secret, revoke, { id: ownerKey.apiKey.id })).body)).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes((await byKey(adminKey, revoke, { id: ownerKey.apiKey.id })).body)).toEqual(['FORBIDDEN']);

    // Nothing changed: the owner still signs in with the old password, as a USER, with a live key.
    const me = await t.gql('{ me { name email role } apiKeys { revokedAt } }', {}, owner.headers);
    expect(me.body.data).toEqual({
      me: { name: 'Test User', email: owner.email, role: 'USER' },
      apiKeys: [{ revokedAt: null }],
    });
    const signIn = await t.gql('mutation($i: SignInInput!) { signIn(input: $i) { token } }', {
      i: { email: owner.email, password: owner.password },
    });
    expect(signIn.body.errors).toBeUndefined();
    // The same session changes the account.
    const renamed = await t.gql(updateUser, { id: owner.id, input: { name: 'Renamed' } }, owner.headers);
    expect(renamed.body.errors).toBeUndefined();
  });

  it('records lastUsedAt without a write on every request', async () => {
    const owner = await signUp(t);
    const { secret, apiKey } = await createKey(owner);
    const lastUsed = async () =>
      (await t.app.database.db.select().from(apiKeys).where(eq(apiKeys.prefix, apiKey.prefix)))[0]
        ?.lastUsedAt;

    await t.gql('{ me { id } }', {}, { 'x-api-key': secret });
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);

    const before = t.queries.length;
    await t.gql('{ me { id } }', {}, { 'x-api-key': secret });
    expect(t.queries.slice(before).filter((q) => /^update "api_keys"/i.test(q))).toEqual([]);
    expect(await lastUsed()).toEqual(first);

    // Once the recorded use is over a minute old, the next request refreshes it.
    await t.app.database.db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now() - interval '2 minutes'` })
      .where(eq(apiKeys.prefix, apiKey.prefix));
    const stale = await lastUsed();
    await t.gql('{ me { id } }', {}, { 'x-api-key': secret });
    expect((await lastUsed())?.getTime()).toBeGreaterThan(stale?.getTime() ?? Infinity);
  });

  it('refuses unknown and malformed keys', async () => {
    const refused: Record<string, string>[] = [
      { 'x-api-key': `acq_${'A'.repeat(43)}` },
      { 'x-api-key': 'acq_short' },
      { 'x-api-key': '' },
      { authorization: `Bearer acq_${'B'.repeat(43)}` },
    ];
    for (const headers of refused) {
      expect(codes((await t.gql('{ me { id } }', {}, headers)).body)).toEqual(['UNAUTHENTICATED']);
    }
  });
});

describe('ending a key', () => {
  it('revoked: refused at once with UNAUTHENTICATED; revoking again changes nothing', async () => {
    const owner = await signUp(t);
    const { secret, apiKey } = await createKey(owner);
    const revoke = () =>
      t.gql<{ revokeApiKey: { revokedAt: string } }>(
        'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }',
        { id: apiKey.id },
        owner.headers,
      );
    const first = await revoke();
    expect(first.body.data?.revokeApiKey.revokedAt).toEqual(expect.any(String));
    expect(codes((await t.gql('{ me { id } }', {}, { 'x-api-key': secret })).body)).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect((await revoke()).body.data).toEqual(first.body.data);
  });

  it('expired: refused with UNAUTHENTICATED', async () => {
    const owner = await signUp(t);
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const { secret, apiKey } = await createKey(owner, { expiresAt: soon });
    expect(apiKey.expiresAt).toBe(soon);
    expect(codes((await t.gql('{ me { id } }', {}, { 'x-api-key': secret })).body)).toBeUndefined();
    await t.app.database.db
      .update(apiKeys)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(apiKeys.prefix, apiKey.prefix));
    expect(codes((await t.gql('{ me { id } }', {}, { 'x-api-key': secret })).body)).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it("another user's key id is NOT_FOUND, and node(id) answers null as for a missing id", async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    const { secret, apiKey } = await createKey(owner);
    const revoke = await t.gql(
      'mutation($id: ID!) { revokeApiKey(id: $id) { id } }',
      { id: apiKey.id },
      stranger.headers,
    );
    expect(codes(revoke.body)).toEqual(['NOT_FOUND']);
    expect(codes((await t.gql('{ me { id } }', {}, { 'x-api-key': secret })).body)).toBeUndefined();
    const node = await t.gql('query($id: ID!) { node(id: $id) { id } }', { id: apiKey.id }, stranger.headers);
    expect(node.body).toEqual({ data: { node: null } });
  });
});
