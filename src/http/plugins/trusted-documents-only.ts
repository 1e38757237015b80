import type { Plugin } from 'graphql-yoga';
import { holdsToTrustedDocuments } from '../../auth/api-key.js';
import type { Context } from '../../graphql/context.js';
import { AppError } from '../../graphql/errors.js';
import type { NamedDocuments } from './document-ids.js';

/**
 * Holds API keys to the trusted documents: a request with a key created
 * `trustedDocumentsOnly: true` — or with any key under API_KEYS_TRUSTED_DOCUMENTS_ONLY — that
 * did not name a known document (it sent a text, even a trusted document's own text) is
 * FORBIDDEN before anything executes. Sessions and guests are never held.
 *
 * It runs once the viewer plugin has read the key, since the flag is stored with the key;
 * `named` was filled by useDocumentIds, which alone decides what a request runs.
 */
export function useTrustedDocumentsOnly(named: NamedDocuments): Plugin<Context> {
  return {
    onContextBuilding({ context }) {
      const key = context.viewer?.apiKey;
      if (!key || !holdsToTrustedDocuments(key, context.auth.config)) return;
      if (named.has(context.request)) return;
      throw new AppError(
        'FORBIDDEN',
        'This API key may only run trusted documents: send the documentId of one (schema/persisted-documents.json) instead of a query',
        { http: { status: 403 } },
      );
    },
  };
}
