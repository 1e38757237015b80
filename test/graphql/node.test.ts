import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { signUp } from '../helpers/accounts.js';

let t: TestApp;
let company: string;
beforeAll(async () => {
  t = await startTestApp();
  const user = await signUp(t);
  const created = await t.gql<{ createCompany: { id: string } }>(
    'mutation($input: CreateCompanyInput!) { createCompany(input: $input) { id } }',
    { input: { name: 'Node Test Co' } },
    user.headers,
  );
  company = created.body.data!.createCompany.id;
});
afterAll(() => t.close());

const globalId = (raw: string) => Buffer.from(raw).toString('base64');

describe('node(id) and nodes(ids)', () => {
  it('returns the object for an existing id', async () => {
    const { body } = await t.gql('query($id: ID!) { node(id: $id) { id ... on Company { name } } }', {
      id: company,
    });
    expect(body).toEqual({ data: { node: { id: company, name: 'Node Test Co' } } });
  });

  it('returns null for a well-formed id that matches nothing', async () => {
    const { body } = await t.gql('query($id: ID!) { node(id: $id) { id } }', {
      id: globalId('Company:999999'),
    });
    expect(body).toEqual({ data: { node: null } });
  });

  it('answers an account or API key the viewer may not see exactly as an id that matches nothing', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    const key = await t.gql<{ createApiKey: { apiKey: { id: string } } }>(
      'mutation { createApiKey(input: { name: "owner key" }) { apiKey { id } } }',
      {},
      owner.headers,
    );
    const keyId = key.body.data!.createApiKey.apiKey.id;
    const query = `query($id: ID!) {
      node(id: $id) { __typename id ... on User { email } ... on ApiKey { name } }
    }`;
    const pairs: [existing: string, missing: string][] = [
      [owner.id, globalId('User:2147483647')],
      [keyId, globalId('ApiKey:2147483647')],
    ];
    for (const [existing, missing] of pairs) {
      for (const headers of [{}, stranger.headers]) {
        const answer = async (id: string) => {
          const { status, body } = await t.gql(query, { id }, headers);
          return { status, body };
        };
        const seen = await answer(existing);
        expect(seen.body).toEqual({ data: { node: null } });
        expect(seen).toEqual(await answer(missing));
      }
    }
    // Its owner sees it.
    const own = await t.gql(query, { id: keyId }, owner.headers);
    expect(own.body).toEqual({ data: { node: { __typename: 'ApiKey', id: keyId, name: 'owner key' } } });
  });

  it.each([
    ['not base64 at all!'],
    [globalId('Company:abc')],
    [globalId('Company:-1')],
    [globalId('nocolon')],
  ])('refuses the malformed id %s with BAD_USER_INPUT', async (id) => {
    const { body } = await t.gql('query($id: ID!) { node(id: $id) { id } }', { id });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('offers node(id) only, as the contract names', async () => {
    const { body } = await t.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [company] });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
