import { generate } from '@graphql-codegen/cli';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractCodegenConfig } from '../../codegen.js';

export interface ContractTarget {
  /** The SDL to publish (see src/graphql/print.ts). */
  sdl: string;
  /** Folder receiving schema.graphql, types.ts and operations.ts. */
  outDir: string;
  /** Glob of the example operations the typings are generated for. */
  documents: string;
}

/**
 * Writes the whole published contract into `outDir`: the SDL and the client typings
 * codegen.ts derives from it. Everything is generated before anything is written, so codegen's
 * error (e.g. an operation the schema no longer accepts) leaves the previous contract intact.
 */
export async function writeContract({ sdl, outDir, documents }: ContractTarget): Promise<void> {
  // codegen takes the SDL itself as its schema pointer: nothing needs to be on disk yet.
  const config = contractCodegenConfig({ schema: sdl, documents, outDir });
  const outputs = (await generate({ ...config, silent: true }, false)) as {
    filename: string;
    content: string;
  }[];
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'schema.graphql'), sdl);
  for (const { filename, content } of outputs) writeFileSync(filename, content);
}
