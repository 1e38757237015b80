/** Trusted documents by id (GraphQL over HTTP's persisted documents), for every client. */
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CompaniesDocument,
  CompanyDocument,
  CreateCompanyDocument,
  type CompanyQuery,
} from '../../schema/operations.js';
import { loadTrustedDocuments } from '../../src/http/trusted-documents.js';
import { manyAccountsEnv, signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { codesOf, fieldsOf } from '../helpers/domain.js';
import { documentIdOf, getWith, postBody } from '../helpers/trusted-documents.js';

let t: TestApp;
let owner: TestAccount;
let companyId: string;

beforeAll(async () => {
  t = await startTestApp(manyAccountsEnv);
  owner = await signUp(t);
  const created = await postBody<{ createCompany: { id: string } }>(
    t,
    { documentId: documentIdOf(CreateCompanyDocument), variables: { input: { name: 'Named Co' } } },
    owner.headers,
  );
  companyId = created.body.data?.createCompany.id ?? '';
  if (!companyId) throw new Error(JSON.stringify(created.body));
});
afterAll(() => t?.close());

describe('documentId', () => {
  it('is the id the service knows each generated document by', () => {
    const manifest = loadTrustedDocuments();
    for (const document of [CompaniesDocument, CompanyDocument, CreateCompanyDocument]) {
      expect(manifest.has(documentIdOf(document))).toBe(true);
    }
  });

  it('runs the named document for a guest, answering as its text does (POST)', async () => {
    const variables = { id: companyId, first: 5 };
    const named = await postBody<CompanyQuery>(t, { documentId: documentIdOf(CompanyDocument), variables });
    expect(named.status).toBe(200);
    expect(named.body.data?.company).toMatchObject({ id: companyId, name: 'Named Co' });
    expect(named.body).toEqual((await t.gql(print(CompanyDocument), variables)).body);
    // The request log names the operation, as it does for a sent text.
    expect(t.logs).toContainEqual(expect.objectContaining({ operationName: 'Company' }));
  });

  it('runs the named document from a GET query string', async () => {
    const { status, body } = await getWith(t, {
      documentId: documentIdOf(CompaniesDocument),
      variables: JSON.stringify({ search: 'Named' }),
    });
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ companies: { totalCount: 1, edges: [{ node: { id: companyId } }] } });
  });

  it('refuses an id no trusted document has with BAD_USER_INPUT, POST or GET', async () => {
    const unknown = `sha256:${'0'.repeat(64)}`;
    for (const response of [
      await postBody(t, { documentId: unknown }),
      await getWith(t, { documentId: unknown }),
    ]) {
      expect(response.status).toBe(400);
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
      expect(fieldsOf(response)).toEqual(['documentId']);
      expect(response.body.errors?.[0]?.message).toMatch(/Unknown documentId/);
    }
  });

  it('refuses a request naming a document and sending a text, whichever it means', async () => {
    const documentId = documentIdOf(CompaniesDocument);
    for (const response of [
      await postBody(t, { documentId, query: '{ __typename }' }),
      await getWith(t, { documentId, query: '{ __typename }' }),
    ]) {
      expect(response.status).toBe(400);
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.data).toBeUndefined();
    }
  });

  it('refuses a documentId that is not a string, and a request with neither query nor documentId', async () => {
    const shapes = [
      { documentId: 42 },
      { documentId: { id: documentIdOf(CompaniesDocument) } },
      {},
      // Apollo's automatic persisted queries: a hash of a text the service never saw.
      {
        extensions: { persistedQuery: { version: 1, sha256Hash: documentIdOf(CompaniesDocument).slice(7) } },
      },
    ];
    for (const body of shapes) {
      const response = await postBody(t, body);
      expect(response.status).toBe(400);
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('still runs a sent text, and guards a named document like one (a mutation over GET)', async () => {
    expect((await t.gql('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    const viaGet = await getWith(
      t,
      {
        documentId: documentIdOf(CreateCompanyDocument),
        variables: JSON.stringify({ input: { name: 'X' } }),
      },
      owner.headers,
    );
    expect(viaGet.status).toBe(405);
    expect(viaGet.body.data).toBeUndefined();
  });
});
