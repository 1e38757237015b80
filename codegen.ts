import type { CodegenConfig } from '@graphql-codegen/cli';
import type { DocumentNode } from 'graphql';
import { join } from 'node:path';
import { trustedDocument } from './scripts/lib/trusted-document.js';

export interface ContractPaths {
  /** The published SDL: a path, or the SDL text itself (scripts/lib/contract.ts passes it so). */
  schema: string;
  /** The example operations clients copy. */
  documents: string;
  /** Where types.ts and operations.ts go. */
  outDir: string;
}

/**
 * Client typings for the published contract:
 * - `types.ts`: every schema type (enums as string unions, scalars as the JSON strings they are);
 * - `operations.ts`: a TypedDocumentNode per example operation, with its result and variables
 *   types built on `types.ts`, ready for graphql-request, urql or Apollo. Each document also
 *   carries its trusted-document id as `__meta__.hash`, where graphql-codegen's client preset
 *   puts it, and is added to `trustedDocuments` (id → text) for the manifest.
 * A function so tests can generate the same output elsewhere (the stale-schema check).
 */
export function contractCodegenConfig(
  { schema, documents, outDir }: ContractPaths,
  trustedDocuments = new Map<string, string>(),
): CodegenConfig {
  return {
    schema,
    documents,
    config: {
      useTypeImports: true,
      enumsAsTypes: true,
      strictScalars: true,
      scalars: {
        ID: { input: 'string', output: 'string' },
        DateTime: 'string',
        Date: 'string',
      },
    },
    generates: {
      [join(outDir, 'types.ts')]: { plugins: ['typescript'] },
      [join(outDir, 'operations.ts')]: {
        plugins: ['typescript-operations', 'typed-document-node'],
        // ESM clients need the .js suffix on the relative import of types.ts.
        config: {
          importSchemaTypesFrom: join(outDir, 'types.ts'),
          emitLegacyCommonJSImports: false,
          // The client preset's own hook for persisted documents, called with each operation
          // and the fragments it spreads: the same document the TypedDocumentNode holds.
          unstable_onExecutableDocumentNode: (document: DocumentNode) => {
            const { id, text } = trustedDocument(document);
            trustedDocuments.set(id, text);
            return { hash: id };
          },
        },
      },
    },
  };
}

export default contractCodegenConfig({
  schema: 'schema/schema.graphql',
  documents: 'schema/operations/*.graphql',
  outDir: 'schema',
});
