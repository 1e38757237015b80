import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { AppError } from '../../graphql/errors.js';
import type { TrustedDocuments } from '../trusted-documents.js';

/** The `documentId` a request names: the JSON body's, or for GET the query string's. */
function documentIdOf(params: GraphQLParams, request: Request): unknown {
  if (request.method === 'GET') return new URL(request.url).searchParams.get('documentId') ?? undefined;
  return (params as GraphQLParams & { documentId?: unknown }).documentId ?? undefined;
}

/** Requests that ran a trusted document they named, not a text they sent. */
export type NamedDocuments = WeakSet<Request>;

const requestError = (message: string, field: string) =>
  new AppError('BAD_USER_INPUT', message, { fields: [{ field, message }], http: { status: 400 } });

/**
 * GraphQL over HTTP's persisted documents: `{"documentId": "sha256:…", "variables": …}` (or
 * `GET ?documentId=…&variables=…`) runs that document of the manifest, for anyone; its text
 * then goes through every guard like a sent one. Each request that named a known document
 * is added to `named`, so later plugins can tell it from one that sent its own text.
 *
 * A request names a document or sends text, never both: a body with `query` and `documentId`
 * would leave it to the server which one runs, so it is refused. Apollo's automatic persisted
 * queries (`extensions.persistedQuery`) are not served: their hashes are of texts the service
 * never saw, so such a request without `query` is refused like any request without one.
 */
export function useDocumentIds(documents: TrustedDocuments, named: NamedDocuments): Plugin[] {
  const oneOfQueryOrDocument: Plugin = {
    onParams({ params, request }) {
      const id = documentIdOf(params, request);
      if (id === undefined) return;
      if (typeof id !== 'string') throw requestError('documentId must be a string', 'documentId');
      if (params.query !== undefined && params.query !== null) {
        throw requestError('Send either a query or a documentId, not both', 'documentId');
      }
    },
  };
  const persisted = usePersistedOperations({
    allowArbitraryOperations: true,
    extractPersistedOperationId: (params, request) => {
      const id = documentIdOf(params, request);
      return typeof id === 'string' ? id : null;
    },
    getPersistedOperation: (id, request) => {
      const text = documents.get(id);
      if (text === undefined) return null;
      named.add(request);
      return text;
    },
    customErrors: {
      notFound: () =>
        requestError(
          'Unknown documentId: it names none of the trusted documents (schema/persisted-documents.json)',
          'documentId',
        ),
      keyNotFound: () => requestError('Send a query, or the documentId of a trusted document', 'query'),
    },
  }) as Plugin;
  return [oneOfQueryOrDocument, persisted];
}
