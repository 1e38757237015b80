/**
 * Prints the published SDL from the Pothos schema, without a server or database:
 *   tsx scripts/print-schema.ts                       → stdout
 *   tsx scripts/print-schema.ts --out schema/schema.graphql
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { printSdl } from '../src/graphql/print.js';
import { schema } from '../src/graphql/schema.js';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const sdl = printSdl(schema);
if (values.out) writeFileSync(values.out, sdl);
else process.stdout.write(sdl);
