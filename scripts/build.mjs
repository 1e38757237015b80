// `npm run build`: the service's entry points (src/index.ts, src/bin/*.ts) bundled with their
// dependencies into dist/, after `tsc` has checked the types.
//
// Why a bundle: Node 20 resolves, reads and compiles every module file on each start, and
// graphql-yoga alone is hundreds of them. Bundled, the server reaches /health in about a third
// of the time (bench/README.md, "Seventh round"). Code the entry points share, and what is
// imported only on demand (the tracing SDK, ioredis, prom-client, a database driver), goes to
// dist/chunks/, so a start still loads only what its configuration uses.
// Plain JavaScript: it runs with Node alone, like scripts/build-if-stale.mjs.
import { readdirSync, rmSync } from 'node:fs';
import process from 'node:process';
import { build } from 'esbuild';

/**
 * Loaded from node_modules at run time, as before: each finds files beside its own module
 * (argon2 its native addon, PGlite its WebAssembly and data files), is an optional native
 * add-on that is not installed (ws's bufferutil and utf-8-validate), or is a
 * large page asset served as text and loaded only when GraphiQL is first asked for. And pg:
 * what observes statements from outside the code (APM agents, OpenTelemetry's pg
 * instrumentation, the benchmark's statement count in bench/count-statements.ts) patches the
 * `pg` module it loads from node_modules, which a bundled copy would not be.
 */
const external = [
  'argon2',
  '@electric-sql/pglite',
  'pg',
  'bufferutil',
  'utf-8-validate',
  '@graphql-yoga/render-graphiql/graphiql',
];

const entryPoints = [
  'src/index.ts',
  ...readdirSync('src/bin')
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `src/bin/${name}`),
];

rmSync('dist', { recursive: true, force: true });
try {
  await build({
    entryPoints,
    outbase: 'src',
    outdir: 'dist',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    sourcemap: 'linked',
    // Stack frames map to src/ and node_modules/ lines (NODE_OPTIONS=--enable-source-maps);
    // the sources themselves stay out of the maps, as tsc left them out.
    sourcesContent: false,
    // CommonJS dependencies bundled into ES modules still call require() for Node's
    // built-ins; an ES module has no require of its own.
    banner: {
      js: "import { createRequire as __acquisitionsRequire } from 'node:module'; const require = __acquisitionsRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
} catch {
  // esbuild has printed the errors.
  process.exit(1);
}
