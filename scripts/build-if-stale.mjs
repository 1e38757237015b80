// `npm start`'s prestart: builds dist/ only when a source file, the TypeScript settings or
// the dependencies changed since the last build, so a second start takes no compile.
// Plain JavaScript: it runs before anything is built, with Node alone.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const stamp = join('dist', '.built');
const inputs = ['src', 'scripts/build.mjs', 'tsconfig.json', 'package.json', 'package-lock.json'];

/** The newest modification time among `path` and, for a folder, everything below it. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce(
    (latest, entry) => Math.max(latest, newest(join(path, entry))),
    stats.mtimeMs,
  );
}

const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changedAt = Math.max(...inputs.map(newest));
if (changedAt < builtAt && existsSync(join('dist', 'index.js'))) {
  process.stdout.write('dist/ is current: not rebuilding\n');
} else {
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
