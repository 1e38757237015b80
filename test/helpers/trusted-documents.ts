import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { GraphQLResponse, TestApp } from './app.js';

/** The id codegen embedded in a schema/operations.ts document (graphql-codegen's `__meta__.hash`). */
export function documentIdOf(document: TypedDocumentNode<unknown, never>): string {
  const id = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof id !== 'string') throw new Error('document has no __meta__.hash: run npm run codegen');
  return id;
}

/** POSTs any JSON body to /graphql, as a client naming documents would. */
export async function postBody<T = Record<string, unknown>>(
  t: TestApp,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** GET /graphql with these search parameters (and the CSRF header every GET needs). */
export async function getWith<T = Record<string, unknown>>(
  t: TestApp,
  search: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${t.url}/graphql?${new URLSearchParams(search)}`, {
    headers: { accept: 'application/json', 'x-graphql-csrf': '1', ...headers },
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}
