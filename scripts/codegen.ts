/**
 * `npm run codegen`: regenerates schema/ (SDL + client typings) from the Pothos schema,
 * without a server or a database.
 */
import { printSdl } from '../src/graphql/print.js';
import { schema } from '../src/graphql/schema.js';
import { writeContract } from './lib/contract.js';

try {
  await writeContract({ sdl: printSdl(schema), outDir: 'schema', documents: 'schema/operations/*.graphql' });
} catch (error) {
  console.error(`codegen failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
