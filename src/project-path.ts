import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding package.json, found by walking up from this module. The code runs from
 * src/ (tsx, tests) and bundled from dist/ (an entry point or a shared chunk, at different
 * depths), so a path relative to one module's own URL would be right in only one of them.
 */
function findProjectRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json in ${start} or above it`);
  }
}

const projectRoot = findProjectRoot();

/** A file or folder of the project (drizzle/, schema/, package.json), from its root. */
export const projectPath = (...segments: string[]): string => join(projectRoot, ...segments);
