/**
 * `npx tsx bench/profile.ts <file.cpuprofile> [top]`: where a V8 CPU profile
 * (from `npm run bench -- --cpu-prof`) spent its time — self time by package
 * and by function, and inclusive time for the GraphQL pipeline's stages.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/profile.ts <file.cpuprofile> [top]');
  process.exit(1);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

/** The source map beside a bundled file of dist/ (scripts/build.mjs), if it has one. */
const sourceMaps = new Map<string, SourceMap | undefined>();
function sourceMapOf(url: string): SourceMap | undefined {
  if (!sourceMaps.has(url)) {
    const map = url.startsWith('file:') ? `${fileURLToPath(url)}.map` : undefined;
    sourceMaps.set(
      url,
      map && existsSync(map) ? new SourceMap(JSON.parse(readFileSync(map, 'utf8'))) : undefined,
    );
  }
  return sourceMaps.get(url);
}

// dist/ is a bundle: each frame is put back at its source file and line, so that time is
// told apart by package and by src/ folder as it was before bundling.
for (const { callFrame: frame } of profile.nodes) {
  const entry = sourceMapOf(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (!entry || !('originalSource' in entry)) continue;
  frame.url = new URL(entry.originalSource, frame.url).href;
  frame.lineNumber = entry.originalLine;
}

/** The package a frame belongs to: node_modules/<pkg>, the service's own src/ folder, or node internals. */
function owner(url: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1] as string;
  const own =
    /\/(?:dist|src)\/(.+?)(?:\/[^/]+)?\.[jt]s$/.exec(url) ?? /\/(?:dist|src)\/([^/]+)\.[jt]s$/.exec(url);
  if (own) return `service:${own[1]}`;
  if (url.startsWith('node:')) return url;
  return url === '' ? '(native/vm)' : url;
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

// Self time per node from the samples.
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) =>
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
);
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
const idleIds = new Set(
  profile.nodes.filter((n) => ['(idle)', '(program)'].includes(n.callFrame.functionName)).map((n) => n.id),
);
const idle = [...idleIds].reduce((sum, id) => sum + (selfMicros.get(id) ?? 0), 0);
const busy = total - idle;

function add(map: Map<string, number>, key: string, micros: number) {
  map.set(key, (map.get(key) ?? 0) + micros);
}

const byOwner = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  if (idleIds.has(id)) continue;
  const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
  add(byOwner, owner(url), micros);
  add(byFunction, `${functionName || '(anonymous)'} ${owner(url)}:${lineNumber + 1}`, micros);
}

/**
 * Inclusive time of named pipeline stages: a sample counts for a stage when the
 * stage's function is on its stack (counted once per sample even under recursion).
 */
const stages: [string, (frame: ProfileNode['callFrame']) => boolean][] = [
  ['GraphQL parse', (f) => f.functionName === 'parse' && f.url.includes('graphql/language')],
  ['GraphQL validate', (f) => f.functionName === 'validate' && f.url.includes('graphql/validation')],
  ['GraphQL execution (@graphql-tools/executor)', (f) => f.url.includes('@graphql-tools/executor')],
  [
    'Pothos plugin-drizzle + selection-mapper',
    (f) => /@pothos\/(plugin-drizzle|selection-mapper)/.test(f.url),
  ],
  ['Pothos core (resolver wrappers)', (f) => f.url.includes('@pothos/core')],
  ['Pothos scope-auth', (f) => f.url.includes('@pothos/plugin-scope-auth')],
  ['service plugins and guards (src/http)', (f) => /\/(dist|src)\/http\//.test(f.url)],
  ['garbage collector', (f) => f.functionName === '(garbage collector)'],
  ['socket writes (writev)', (f) => f.functionName === 'writev' && f.url === ''],
  ['drizzle-orm', (f) => f.url.includes('drizzle-orm')],
  ['pg driver', (f) => /node_modules\/pg(-[a-z]+)?\//.test(f.url)],
  ['Yoga result serialization', (f) => f.functionName === 'jsonStringifyResultWithoutInternals'],
  ['pino (logging)', (f) => f.url.includes('node_modules/pino')],
  ['jose (JWT)', (f) => f.url.includes('node_modules/jose')],
  ['prom-client (metrics)', (f) => f.url.includes('prom-client') || f.url.includes('plugin-prometheus')],
  ['Yoga / whatwg-node HTTP layer', (f) => f.url.includes('@whatwg-node') || f.url.includes('graphql-yoga')],
  ['envelop', (f) => f.url.includes('@envelop')],
];
const stageMicros = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  if (idleIds.has(id)) continue;
  const hit = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = (byId.get(at) as ProfileNode).callFrame;
    for (const [name, matches] of stages) if (matches(frame)) hit.add(name);
  }
  for (const name of hit) add(stageMicros, name, micros);
}

const pct = (micros: number) => `${((micros / busy) * 100).toFixed(1).padStart(5)}%`;
const print = (title: string, map: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${pct(micros)}  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  }
};

console.log(
  `${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (percentages of busy)`,
);
print(
  'Inclusive time by stage (stages overlap: execute contains plugin-drizzle, drizzle-orm, pg …)',
  stageMicros,
  99,
);
print('Self time by package', byOwner, top);
print('Self time by function', byFunction, top);
