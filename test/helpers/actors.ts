import { createAdmin, signUp, type TestAccount } from './accounts.js';
import type { TestApp } from './app.js';

/** Everyone a permission matrix tries a write as. */
export interface Actors {
  admin: TestAccount;
  /** Creates the records the matrix then changes. */
  creator: TestAccount;
  /** A signed-in user who did not create them. */
  other: TestAccount;
  /** Request headers per actor; `guest` sends none. */
  headers: Record<
    'guest' | 'admin' | 'creator' | 'other' | 'creatorReadKey' | 'creatorWriteKey' | 'adminReadKey',
    Record<string, string>
  >;
}

async function apiKey(t: TestApp, owner: TestAccount, write: boolean): Promise<Record<string, string>> {
  const { body } = await t.gql<{ createApiKey: { secret: string } }>(
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
    { input: { name: write ? 'writer key' : 'reader key', write } },
    owner.headers,
  );
  const secret = body.data?.createApiKey.secret;
  if (!secret) throw new Error(`createApiKey failed: ${JSON.stringify(body.errors)}`);
  return { 'x-api-key': secret };
}

export async function createActors(t: TestApp): Promise<Actors> {
  const admin = await createAdmin(t);
  const creator = await signUp(t, { name: 'Creator' });
  const other = await signUp(t, { name: 'Other User' });
  return {
    admin,
    creator,
    other,
    headers: {
      guest: {},
      admin: admin.headers,
      creator: creator.headers,
      other: other.headers,
      creatorReadKey: await apiKey(t, creator, false),
      creatorWriteKey: await apiKey(t, creator, true),
      adminReadKey: await apiKey(t, admin, false),
    },
  };
}
