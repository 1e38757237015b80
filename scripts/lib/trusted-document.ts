import { createHash } from 'node:crypto';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import type { DocumentNode } from 'graphql';

export interface TrustedDocument {
  /** `sha256:<hex>` of `text`: what a client sends as `documentId`. */
  id: string;
  /** The operation and the fragments it spreads, as the service runs it. */
  text: string;
}

/**
 * One operation as graphql-codegen's client preset persists it with
 * `persistedDocuments: { hashAlgorithm: 'sha256' }`: printed normalized (definitions and
 * selections sorted, no comments, no insignificant whitespace), so reformatting an operation
 * never changes its id, and identified by `sha256:` and the hex SHA-256 of that text, the
 * identifier format of GraphQL over HTTP's persisted documents appendix. Any client can
 * check an id against the manifest's text.
 */
export function trustedDocument(document: DocumentNode): TrustedDocument {
  const text = printExecutableGraphQLDocument(document);
  return { id: `sha256:${createHash('sha256').update(text).digest('hex')}`, text };
}
