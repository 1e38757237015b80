/**
 * Inputs that once reached the database and came back as INTERNAL_SERVER_ERROR: a NUL
 * character (Postgres text cannot hold one) and dates Postgres cannot store. Each is
 * BAD_USER_INPUT now, refused before any SQL statement runs, and nothing is logged as a bug.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin, manyAccountsEnv, signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app.js';

let t: TestApp;
let user: TestAccount;
let admin: TestAccount;

beforeAll(async () => {
  t = await startTestApp(manyAccountsEnv);
  user = await signUp(t);
  admin = await createAdmin(t);
});
afterAll(() => t.close());

/** Sends the request as `who`; expects BAD_USER_INPUT naming `fields` (when given), and no SQL. */
async function expectRefused(
  request: { query: string; variables?: Record<string, unknown>; headers?: Record<string, string> },
  fields?: string[],
): Promise<GraphQLResponse> {
  const statements = t.queries.length;
  const logged = t.logs.length;
  const response = await t.gql(request.query, request.variables, request.headers);
  expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  expect(response.body.data ?? null).toBeNull();
  if (fields) {
    const reported = response.body.errors?.[0]?.extensions?.fields as { field: string }[];
    expect(reported.map((f) => f.field)).toEqual(fields);
  }
  // Resolving a signed-in viewer reads the session; nothing else may run.
  expect(t.queries.slice(statements).filter((q) => !/"sessions"/.test(q))).toEqual([]);
  expect(t.logs.slice(logged).filter((line) => line.level === 50)).toEqual([]);
  return response;
}

describe('a NUL character (U+0000) in any string input', () => {
  const nul = 'a\u0000b';

  it('companies(search:), as a literal and as a variable', async () => {
    await expectRefused({ query: '{ companies(search: "a\\u0000b") { totalCount } }' }, ['search']);
    await expectRefused(
      { query: 'query($s: String) { companies(search: $s) { totalCount } }', variables: { s: nul } },
      ['$s'],
    );
  });

  it('users(search:)', async () => {
    await expectRefused(
      {
        query: 'query($s: String) { users(search: $s) { totalCount } }',
        variables: { s: nul },
        headers: admin.headers,
      },
      ['$s'],
    );
  });

  it('createApiKey(name:), in an input object literal and in a variable', async () => {
    await expectRefused(
      {
        query: 'mutation { createApiKey(input: { name: "key\\u0000" }) { secret } }',
        headers: user.headers,
      },
      ['input.name'],
    );
    await expectRefused(
      {
        query: 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
        variables: { input: { name: nul } },
        headers: user.headers,
      },
      ['$input.name'],
    );
    const { body } = await t.gql('{ apiKeys { id } }', {}, user.headers);
    expect(body.data).toEqual({ apiKeys: [] });
  });

  it('in lists and nested input objects of variables, and in variable defaults', async () => {
    await expectRefused(
      {
        query: 'query($f: AcquisitionFilter) { acquisitions(filter: $f) { totalCount } }',
        variables: { f: { status: ['COMPLETED', nul], currency: nul } },
      },
      ['$f.currency', '$f.status[1]'],
    );
    await expectRefused(
      { query: 'query($s: String = "a\\u0000") { companies(search: $s) { totalCount } }' },
      ['$s'],
    );
  });

  it('is the only thing refused: the same request without it runs', async () => {
    const { body } = await t.gql('query($s: String) { companies(search: $s) { totalCount } }', { s: 'ab' });
    expect(body).toEqual({ data: { companies: { totalCount: 0 } } });
  });
});

describe('dates Postgres cannot store', () => {
  it('Date: year 0000, as a literal and as a variable', async () => {
    const refused = await expectRefused({
      query: '{ acquisitions(filter: { announcedFrom: "0000-01-01" }) { totalCount } }',
    });
    expect(refused.body.errors?.[0]?.message).toMatch(/Date must be between 0001-01-01 and 9999-12-31/);
    await expectRefused({
      query: 'query($d: Date) { acquisitions(filter: { announcedTo: $d }) { totalCount } }',
      variables: { d: '0000-12-31' },
    });
    const edge = await t.gql(
      '{ acquisitions(filter: { announcedFrom: "0001-01-01", announcedTo: "9999-12-31" }) { totalCount } }',
    );
    expect(edge.body).toEqual({ data: { acquisitions: { totalCount: 0 } } });
  });

  it('DateTime: an offset that moves the instant past year 9999 or before year 1', async () => {
    for (const expiresAt of ['9999-12-31T23:59:59-05:00', '0001-01-01T00:00:00+01:00']) {
      await expectRefused({
        query: 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
        variables: { input: { name: 'far future', expiresAt } },
        headers: user.headers,
      });
    }
    const { body } = await t.gql(
      'mutation { createApiKey(input: { name: "last instant", expiresAt: "9999-12-31T23:59:59.999Z" }) { apiKey { expiresAt } } }',
      {},
      user.headers,
    );
    expect(body).toEqual({ data: { createApiKey: { apiKey: { expiresAt: '9999-12-31T23:59:59.999Z' } } } });
  });
});
