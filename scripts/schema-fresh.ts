/**
 * `npm run schema:fresh` (CI): regenerates schema/ and fails when that changed anything git
 * knows about, i.e. the committed SDL or typings are stale, or an operation's typings were
 * never committed.
 */
import { execFileSync } from 'node:child_process';
import { printSdl } from '../src/graphql/print.js';
import { schema } from '../src/graphql/schema.js';
import { writeContract } from './lib/contract.js';
import { changedFiles } from './lib/changed-files.js';

try {
  await writeContract({ sdl: printSdl(schema), outDir: 'schema', documents: 'schema/operations/*.graphql' });
} catch (error) {
  console.error(`schema:fresh: codegen failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const stale = changedFiles('schema');
if (stale.length > 0) {
  execFileSync('git', ['--no-pager', 'diff', '--stat', '--', 'schema'], { stdio: 'inherit' });
  console.error(
    `schema/ is stale: ${stale.join(', ')}\nRun \`npm run codegen\` and commit the result with the change.`,
  );
  process.exitCode = 1;
} else {
  console.log('schema/ is up to date');
}
