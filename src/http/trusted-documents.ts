import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { projectPath } from '../project-path.js';

/** The operations clients may name by id instead of sending their text: id → document text. */
export type TrustedDocuments = ReadonlyMap<string, string>;

/** `npm run codegen` writes the manifest into schema/; the image copies it to the same place. */
export const manifestPath = projectPath('schema', 'persisted-documents.json');

const manifestShape = z.record(
  z.string().regex(/^sha256:[0-9a-f]{64}$/, 'ids are sha256:<64 hex digits>'),
  z.string().min(1, 'documents are not empty'),
);

/**
 * The trusted documents of the manifest at `path`. Read once at start: a missing or broken
 * manifest stops the service with this error rather than refusing every `documentId` later.
 */
export function loadTrustedDocuments(path = manifestPath): TrustedDocuments {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`trusted documents: cannot read ${path} (\`npm run codegen\` writes it): ${reason}`, {
      cause: error,
    });
  }
  const manifest = manifestShape.safeParse(parsed);
  if (!manifest.success) {
    const problem = manifest.error.issues[0];
    throw new Error(
      `trusted documents: ${path} is not a manifest of { "sha256:<hex>": "<document>" }: ${problem?.path.join('.') ?? ''} ${problem?.message ?? ''}`.trim(),
    );
  }
  return new Map(Object.entries(manifest.data));
}
