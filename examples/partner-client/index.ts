/**
 * A partner system's client: lists every acquisition one company made, with an API key held
 * to trusted documents. It sends each operation's documentId — the id `npm run codegen` put
 * in schema/operations.ts — never its text, and the generated types check the variables it
 * sends and the data it reads. See README.md.
 *
 *   API_URL=http://localhost:3000/graphql API_KEY=<secret> COMPANY=Microsoft npm start
 *   (PAGE_SIZE, default 50, sets how many acquisitions each request asks for)
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  CompaniesDocument,
  CompanyAcquisitionsDocument,
  type AcquisitionFieldsFragment,
} from '../../schema/operations.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

interface GraphQLResponse<Data> {
  data?: Data | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** The id codegen embedded in a generated document, where graphql-codegen's client preset puts it. */
function documentIdOf(document: TypedDocumentNode<unknown, never>): string {
  const id = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof id !== 'string') throw new Error('the document carries no id: run `npm run codegen`');
  return id;
}

/** Runs a trusted document by its id (GraphQL over HTTP's persisted documents). */
async function run<Data, Variables>(
  endpoint: { url: string; apiKey: string },
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<Data> {
  const response = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': endpoint.apiKey },
    body: JSON.stringify({ documentId: documentIdOf(document), variables }),
  });
  const { data, errors } = (await response.json()) as GraphQLResponse<Data>;
  if (errors?.length) {
    throw new Error(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  }
  if (!data) throw new Error(`no data (HTTP ${response.status})`);
  return data;
}

async function main(): Promise<void> {
  const endpoint = { url: required('API_URL'), apiKey: required('API_KEY') };
  const name = required('COMPANY');

  // The search matches any part of a name; names are unique regardless of case.
  const { companies } = await run(endpoint, CompaniesDocument, { search: name, first: 20 });
  const named = companies.edges.find((edge) => edge.node.name.toLowerCase() === name.toLowerCase());
  if (!named) throw new Error(`no company is named ${name}`);
  const companyId = named.node.id;

  const pageSize = Number(process.env.PAGE_SIZE ?? 50);
  /** One page of the company's acquisitions, typed by the generated document. */
  const fetchPage = (after: string | null) =>
    run(endpoint, CompanyAcquisitionsDocument, { id: companyId, first: pageSize, after });

  // Follow the cursors: ask for the page after the last one's endCursor until there is none.
  const acquisitions: AcquisitionFieldsFragment[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const { company } = await fetchPage(after);
    if (!company) throw new Error(`no company with id ${companyId}`);
    pages += 1;
    acquisitions.push(...company.acquisitions.edges.map((edge) => edge.node));
    const { hasNextPage, endCursor } = company.acquisitions.pageInfo;
    after = hasNextPage ? endCursor : null;
  } while (after);

  for (const { announcedOn, target, status, price } of acquisitions) {
    const amount = price ? `${price.amount} ${price.currency}` : 'undisclosed';
    console.log([announcedOn ?? '-', target.name, status, amount].join('\t'));
  }
  console.log(`${acquisitions.length} acquisitions in ${pages} pages`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
