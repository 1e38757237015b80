import type { CodegenConfig } from '@graphql-codegen/cli';
import { join } from 'node:path';

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
 *   types built on `types.ts`, ready for graphql-request, urql or Apollo.
 * A function so tests can generate the same output elsewhere (the stale-schema check).
 */
export function contractCodegenConfig({ schema, documents, outDir }: ContractPaths): CodegenConfig {
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
        config: { importSchemaTypesFrom: join(outDir, 'types.ts'), emitLegacyCommonJSImports: false },
      },
    },
  };
}

export default contractCodegenConfig({
  schema: 'schema/schema.graphql',
  documents: 'schema/operations/*.graphql',
  outDir: 'schema',
});
