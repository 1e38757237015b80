/**
 * `npm run schema:check`: fails when the current schema breaks clients of the published one.
 *
 *   --base <file>       compare with this SDL file
 *   --base-ref <ref>    …or with schema/schema.graphql at this git ref (default: main)
 *   --current <file>    the new SDL (default: printed from the Pothos schema in src/)
 *   --allow <file>      accepted breaking changes (default: schema/breaking-changes-allowed.json)
 *
 * Nothing published at the base ref (first publication) passes. CI passes --base-ref HEAD~1:
 * it checks out the commit under test as main, so the previous commit is the last published
 * contract (see README, "Published contract").
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Change } from '@graphql-inspector/core';
import { allowFileSchema, checkSchemaChanges, type AllowedChange } from './lib/breaking-changes.js';
import { PUBLISHED_SDL_PATH, readPublishedSdl } from './lib/published-sdl.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    'base-ref': { type: 'string', default: 'main' },
    current: { type: 'string' },
    allow: { type: 'string', default: 'schema/breaking-changes-allowed.json' },
  },
});

function readAllowFile(path: string): AllowedChange[] {
  if (!existsSync(path)) return [];
  const parsed = allowFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `[${i.path.join('.')}] ${i.message}`).join('; ');
    throw new Error(`${path}: ${problems}`);
  }
  return parsed.data;
}

async function currentSdl(): Promise<string> {
  if (values.current) return readFileSync(values.current, 'utf8');
  // Loaded only when needed: comparing two files must not depend on src/ compiling.
  const [{ printSdl }, { schema }] = await Promise.all([
    import('../src/graphql/print.js'),
    import('../src/graphql/schema.js'),
  ]);
  return printSdl(schema);
}

const line = (change: Change) =>
  `  ${change.criticality.level.padEnd(12)} ${change.type} ${change.path ?? ''}\n      ${change.message}`;

async function main(): Promise<number> {
  const baseName = values.base ?? `${values['base-ref']}:${PUBLISHED_SDL_PATH}`;
  const published = values.base ? readFileSync(values.base, 'utf8') : readPublishedSdl(values['base-ref']);
  if (published === null) {
    console.log(`schema:check: nothing published at ${baseName}; first publication passes.`);
    return 0;
  }
  const result = await checkSchemaChanges(published, await currentSdl(), readAllowFile(values.allow));

  console.log(`schema:check against ${baseName}: ${result.changes.length} change(s)`);
  for (const change of result.changes) console.log(line(change));
  for (const { change, reason } of result.allowed) {
    console.log(`allowed: ${change.type} ${change.path ?? ''} (${reason})`);
  }
  for (const entry of result.unused) {
    console.log(
      `note: ${values.allow} entry ${entry.type} ${entry.path} matched nothing; remove it once published`,
    );
  }
  for (const { change, why } of result.blocked) {
    console.error(`BREAKING ${change.type} ${change.path ?? ''}: ${change.message}\n  ${why}`);
  }
  if (result.blocked.length > 0) {
    console.error(`schema:check failed: ${result.blocked.length} breaking change(s) not allowed`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`schema:check: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
