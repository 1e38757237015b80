/**
 * API keys held to the trusted documents: created `trustedDocumentsOnly: true`, or every key
 * under API_KEYS_TRUSTED_DOCUMENTS_ONLY. They run the manifest's documents by id and nothing
 * else; other keys, sessions and guests keep sending texts.
 */
import { count, eq } from 'drizzle-orm';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CompaniesDocument,
  CompanyAcquisitionsDocument,
  CreateAcquisitionDocument,
  CreateApiKeyDocument,
  CreateCompanyDocument,
  UpdateCompanyDocument,
  type CreateApiKeyMutation,
} from '../../schema/operations.js';
import { apiKeys, companies } from '../../src/db/schema.js';
import { loadTrustedDocuments } from '../../src/http/trusted-documents.js';
import { manyAccountsEnv, signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app.js';
import { codesOf } from '../helpers/domain.js';
import { documentIdOf, getWith, postBody } from '../helpers/trusted-documents.js';

const forbiddenText = /may only run trusted documents/;

async function createKey(t: TestApp, owner: TestAccount, input: Record<string, unknown>) {
  const { body } = await t.gql<CreateApiKeyMutation>(
    print(CreateApiKeyDocument),
    { input: { name: 'partner', ...input } },
    owner.headers,
  );
  const created = body.data?.createApiKey;
  if (!created) throw new Error(JSON.stringify(body.errors));
  return { ...created, headers: { 'x-api-key': created.secret } };
}

const companiesNamed = async (t: TestApp, name: string) => {
  const [row] = await t.app.database.db
    .select({ n: count() })
    .from(companies)
    .where(eq(companies.name, name));
  return row?.n ?? 0;
};

/** The request was refused by the trusted-documents rule, before anything ran. */
function expectRefused(response: GraphQLResponse<unknown>) {
  expect(response.status).toBe(403);
  expect(codesOf(response)).toEqual(['FORBIDDEN']);
  expect(response.body.errors?.[0]?.message).toMatch(forbiddenText);
  expect(response.body.data).toBeUndefined();
}

describe('a key created trustedDocumentsOnly', () => {
  let t: TestApp;
  let owner: TestAccount;
  let trusted: Awaited<ReturnType<typeof createKey>>;
  let trustedWriter: Awaited<ReturnType<typeof createKey>>;
  let ordinaryWriter: Awaited<ReturnType<typeof createKey>>;

  beforeAll(async () => {
    t = await startTestApp(manyAccountsEnv);
    owner = await signUp(t);
    trusted = await createKey(t, owner, { trustedDocumentsOnly: true });
    trustedWriter = await createKey(t, owner, { trustedDocumentsOnly: true, write: true });
    ordinaryWriter = await createKey(t, owner, { write: true });
  });
  afterAll(() => t?.close());

  it('says so, and keys are not held unless created so', async () => {
    expect(trusted.apiKey).toMatchObject({ trustedDocumentsOnly: true, write: false });
    expect(ordinaryWriter.apiKey).toMatchObject({ trustedDocumentsOnly: false, write: true });
    const rows = await t.app.database.db
      .select({ prefix: apiKeys.prefix, trustedDocumentsOnly: apiKeys.trustedDocumentsOnly })
      .from(apiKeys)
      .where(eq(apiKeys.userId, owner.userId));
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.prefix === trusted.apiKey.prefix)?.trustedDocumentsOnly).toBe(true);
    expect(rows.find((r) => r.prefix === ordinaryWriter.apiKey.prefix)?.trustedDocumentsOnly).toBe(false);
  });

  it('runs the manifest’s reads and writes by documentId', async () => {
    const run = <T>(document: Parameters<typeof documentIdOf>[0], variables: Record<string, unknown>) =>
      postBody<T>(t, { documentId: documentIdOf(document), variables }, trustedWriter.headers);

    const acquirer = await run<{ createCompany: { id: string; name: string } }>(CreateCompanyDocument, {
      input: { name: 'Trusted Acquirer' },
    });
    expect(acquirer.body.errors).toBeUndefined();
    const acquirerId = acquirer.body.data?.createCompany.id ?? '';
    const target = await run<{ createCompany: { id: string } }>(CreateCompanyDocument, {
      input: { name: 'Trusted Target' },
    });
    const targetId = target.body.data?.createCompany.id ?? '';
    const deal = await run<{ createAcquisition: { status: string } }>(CreateAcquisitionDocument, {
      input: { acquirerId, targetId, status: 'ANNOUNCED', price: { amount: '1000000.00', currency: 'USD' } },
    });
    expect(deal.body).toMatchObject({ data: { createAcquisition: { status: 'ANNOUNCED' } } });
    const updated = await run(UpdateCompanyDocument, { id: acquirerId, input: { industry: 'Software' } });
    expect(updated.body).toMatchObject({ data: { updateCompany: { id: acquirerId, industry: 'Software' } } });

    // Reads with the read-only trusted key, over POST and GET.
    const page = await postBody(
      t,
      { documentId: documentIdOf(CompanyAcquisitionsDocument), variables: { id: acquirerId } },
      trusted.headers,
    );
    expect(page.body).toMatchObject({
      data: { company: { name: 'Trusted Acquirer', acquisitions: { totalCount: 1 } } },
    });
    const listed = await getWith(
      t,
      { documentId: documentIdOf(CompaniesDocument), variables: JSON.stringify({ search: 'Trusted' }) },
      trusted.headers,
    );
    expect(listed.body).toMatchObject({ data: { companies: { totalCount: 2 } } });

    // Still read-only: the document is trusted, the key's write permission still applies.
    const refusedWrite = await postBody(
      t,
      { documentId: documentIdOf(CreateCompanyDocument), variables: { input: { name: 'Read Only Co' } } },
      trusted.headers,
    );
    expect(codesOf(refusedWrite)).toEqual(['FORBIDDEN']);
    expect(refusedWrite.body.errors?.[0]?.message).not.toMatch(forbiddenText);
    expect(await companiesNamed(t, 'Read Only Co')).toBe(0);
  });

  it('meets every manifest document as an ordinary key does: the rule refuses none of them', async () => {
    const outcome = (response: GraphQLResponse<unknown>) => ({
      codes: codesOf(response),
      answered: response.body.data != null,
    });
    for (const documentId of loadTrustedDocuments().keys()) {
      // Without variables most fail alike (missing variables, sessions-only fields); what
      // matters is that no answer differs because the key is held to trusted documents.
      const held = await postBody(t, { documentId }, trustedWriter.headers);
      const free = await postBody(t, { documentId }, ordinaryWriter.headers);
      expect({ documentId, ...outcome(held) }).toEqual({ documentId, ...outcome(free) });
      expect(held.body.errors?.map((e) => e.message).join() ?? '').not.toMatch(forbiddenText);
    }
  });

  it('is FORBIDDEN any text, over POST and GET, with nothing run', async () => {
    expectRefused(await t.gql('{ __typename }', {}, trusted.headers));
    expectRefused(await getWith(t, { query: '{ companies { totalCount } }' }, trusted.headers));
    expectRefused(
      await t.gql(print(CreateCompanyDocument), { input: { name: 'Text Co' } }, trustedWriter.headers),
    );
    expect(await companiesNamed(t, 'Text Co')).toBe(0);
    // Through Authorization: Bearer as well as x-api-key.
    expectRefused(await t.gql('{ __typename }', {}, { authorization: `Bearer ${trusted.secret}` }));
  });

  it('is FORBIDDEN a trusted document’s own text: it must be named by id', async () => {
    const text = loadTrustedDocuments().get(documentIdOf(CompaniesDocument)) ?? '';
    expect(text).toMatch(/query Companies/);
    expectRefused(await t.gql(text, {}, trusted.headers));
  });

  it('cannot smuggle a text alongside a document or as an automatic persisted query', async () => {
    const documentId = documentIdOf(CompaniesDocument);
    const text = print(CreateCompanyDocument);
    const variables = { input: { name: 'Smuggled Co' } };
    const both = [
      await postBody(t, { documentId, query: text, variables }, trustedWriter.headers),
      await getWith(t, { documentId, query: '{ __typename }' }, trustedWriter.headers),
    ];
    for (const response of both) {
      expect(response.status).toBe(400);
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.data).toBeUndefined();
    }
    // Apollo APQ: the hash of a trusted document does not make a sent text trusted.
    expectRefused(
      await postBody(
        t,
        {
          query: text,
          variables,
          extensions: { persistedQuery: { version: 1, sha256Hash: documentId.slice('sha256:'.length) } },
        },
        trustedWriter.headers,
      ),
    );
    expect(await companiesNamed(t, 'Smuggled Co')).toBe(0);
  });

  it('leaves ordinary keys and sessions sending texts', async () => {
    const input = { input: { name: 'Free Text Co' } };
    expect(
      (await t.gql(print(CreateCompanyDocument), input, ordinaryWriter.headers)).body.errors,
    ).toBeUndefined();
    expect((await t.gql('{ me { id } }', {}, owner.headers)).body).toEqual({
      data: { me: { id: owner.id } },
    });
    expect((await t.gql('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('is refused as UNAUTHENTICATED once revoked, document or not', async () => {
    const revoked = await createKey(t, owner, { trustedDocumentsOnly: true });
    await t.gql(
      'mutation ($id: ID!) { revokeApiKey(id: $id) { id } }',
      { id: revoked.apiKey.id },
      owner.headers,
    );
    const response = await postBody(t, { documentId: documentIdOf(CompaniesDocument) }, revoked.headers);
    expect(codesOf(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('API_KEYS_TRUSTED_DOCUMENTS_ONLY=true', () => {
  let t: TestApp;
  let owner: TestAccount;
  let key: Awaited<ReturnType<typeof createKey>>;

  beforeAll(async () => {
    t = await startTestApp({ ...manyAccountsEnv, API_KEYS_TRUSTED_DOCUMENTS_ONLY: 'true' });
    owner = await signUp(t);
    key = await createKey(t, owner, { trustedDocumentsOnly: false });
  });
  afterAll(() => t?.close());

  it('holds every key, whatever it was created with, and says so', async () => {
    expect(key.apiKey.trustedDocumentsOnly).toBe(true);
    const [row] = await t.app.database.db
      .select({ trustedDocumentsOnly: apiKeys.trustedDocumentsOnly })
      .from(apiKeys)
      .where(eq(apiKeys.prefix, key.apiKey.prefix));
    // The key's own choice is kept: lifting the requirement frees it again.
    expect(row?.trustedDocumentsOnly).toBe(false);
    expectRefused(await t.gql('{ companies { totalCount } }', {}, key.headers));
    const named = await postBody(t, { documentId: documentIdOf(CompaniesDocument) }, key.headers);
    expect(named.body).toEqual({ data: { companies: expect.objectContaining({ totalCount: 0 }) } });
  });

  it('leaves sessions and guests sending texts', async () => {
    expect((await t.gql('{ me { id } }', {}, owner.headers)).body).toEqual({
      data: { me: { id: owner.id } },
    });
    expect((await t.gql('{ companies { totalCount } }')).body).toEqual({
      data: { companies: { totalCount: 0 } },
    });
  });
});
