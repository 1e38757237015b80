import { generate } from '@graphql-codegen/cli';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractCodegenConfig } from '../../codegen.js';

export interface ContractTarget {
  /** The SDL to publish (see src/graphql/print.ts). */
  sdl: string;
  /** Folder receiving schema.graphql, types.ts, operations.ts and persisted-documents.json. */
  outDir: string;
  /** Glob of the example operations the typings are generated for. */
  documents: string;
}

/** The trusted documents the service accepts by id: `{ "<id>": "<text>" }`. */
export const manifestFile = 'persisted-documents.json';

/**
 * Writes the whole published contract into `outDir`: the SDL, the client typings codegen.ts
 * derives from it and the trusted-documents manifest of its operations. Everything is
 * generated before anything is written, so codegen's error (e.g. an operation the schema no
 * longer accepts) leaves the previous contract intact.
 */
export async function writeContract({ sdl, outDir, documents }: ContractTarget): Promise<void> {
  const trustedDocuments = new Map<string, string>();
  // codegen takes the SDL itself as its schema pointer: nothing needs to be on disk yet.
  const config = contractCodegenConfig({ schema: sdl, documents, outDir }, trustedDocuments);
  const outputs = (await generate({ ...config, silent: true }, false)) as {
    filename: string;
    content: string;
  }[];
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'schema.graphql'), sdl);
  for (const { filename, content } of outputs) writeFileSync(filename, content);
  const manifest = JSON.stringify(Object.fromEntries(trustedDocuments), null, 2);
  writeFileSync(join(outDir, manifestFile), `${manifest}\n`);
}
