/**
 * A/B of builds of the service, in one run, by CPU per request rather than req/s:
 * on a shared 2-core machine throughput follows whatever else runs, while the CPU a
 * process spends per request barely moves. Each variant is a directory holding a
 * built `dist/` (e.g. a `git archive HEAD` copy, built, against this working tree),
 * optionally with extra environment (NODE_OPTIONS for a preload). Variants take
 * turns (A B A B …), each sending the same requests at a low, fixed concurrency;
 * the report gives, per operation and variant, the median over rounds of Node CPU
 * µs/request and of Postgres CPU µs/request (the variant's own backends, found by
 * application_name).
 *
 *   npx tsx bench/ab.ts --variant base=/tmp/base --variant new=. --only Q2,Q3
 *   npx tsx bench/ab.ts --variant pool10=. --variant pool4=.,DB_POOL_MAX=4 --keep-database
 *   npx tsx bench/ab.ts --variant base=/tmp/base --variant new=. --only Q4 --instructions --concurrency 1
 *
 * With --instructions each variant runs under callgrind and the report gives instructions
 * per request instead of CPU time (bench/instructions.ts): slow (a few minutes per variant
 * and operation), steadier than CPU time on a noisy machine but not exact (bench/README.md,
 * "Fifth round"). Its warm-up round sends 8,000 requests.
 *
 * Without --database-url it creates, seeds and finally drops its own database
 * (as `npm run bench` does); --keep-database leaves it for the next run.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createBenchDatabase, migrate, seed } from './database.js';
import {
  browserUserAgent,
  operations,
  signUpMutation,
  type Fixtures,
  type HttpRequest,
} from './operations.js';
import {
  cpuDelta,
  cpuMicros,
  freePort,
  postgresCpu,
  startServer,
  type ServerProcess,
  productionServiceEnv,
} from './processes.js';
import { callgrindArgs, callgrindOutFile, countInstructions } from './instructions.js';
import { median } from './report.js';

const { values: args } = parseArgs({
  options: {
    variant: { type: 'string', multiple: true, default: [] },
    only: { type: 'string', default: 'Q1,Q2,Q3,Q4' },
    requests: { type: 'string', default: '1500' },
    concurrency: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    'admin-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'database-url': { type: 'string' },
    'keep-database': { type: 'boolean', default: false },
    instructions: { type: 'boolean', default: false },
  },
});

interface Variant {
  name: string;
  dir: string;
  env: Record<string, string>;
}

/** `name=dir[,KEY=VALUE…]`; a value may contain commas only in the last pair. */
function parseVariant(spec: string): Variant {
  const [head = '', ...pairs] = spec.split(',');
  const at = head.indexOf('=');
  if (at < 1) throw new Error(`--variant takes name=dir[,KEY=VALUE…], got ${spec}`);
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new Error(`--variant: ${pair} is not KEY=VALUE`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { name: head.slice(0, at), dir: resolve(head.slice(at + 1)), env };
}

const variants = args.variant.map(parseVariant);
if (variants.length === 0) throw new Error('give at least one --variant name=dir');
const selected = new Set(args.only.split(','));
const requestsPerRound = Number(args.requests);
const concurrency = Number(args.concurrency);
const rounds = Number(args.rounds);
const jwtSecret = randomBytes(48).toString('base64url');
const log = (message: string) => console.log(`[ab] ${message}`);

async function startVariant(variant: Variant, databaseUrl: string): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({
    name: variant.name,
    args: [resolve(variant.dir, 'dist/index.js')],
    ...(args.instructions
      ? {
          launcher: { file: 'valgrind', args: callgrindArgs(callgrindOutFile(variant.name)) },
          timeoutMs: 300_000,
        }
      : {}),
    env: productionServiceEnv(databaseUrl, port, jwtSecret, {
      TOKEN_TTL: '6h',
      PGAPPNAME: `ab-${variant.name}`,
      // No heap limit unless a variant sets NODE_OPTIONS (a preload, say): builds compared as they run bare.
      NODE_OPTIONS: undefined,
      ...variant.env,
    }),
    port,
    readyPath: '/health',
  });
}

/**
 * A kept-alive connection the server closed while idle (a server under callgrind idles for
 * minutes while the other variant runs) fails the next request sent on it; that one is
 * sent again, on a new connection, as HTTP clients do with requests that are safe to repeat.
 */
const closedWhileIdle = (error: unknown) =>
  error instanceof TypeError && (error.cause as { code?: string } | undefined)?.code === 'ECONNRESET';

async function send(server: ServerProcess, request: HttpRequest): Promise<string> {
  const init = { method: request.method, headers: request.headers, body: request.body };
  const response = await fetch(server.url + request.path, init).catch((error: unknown) => {
    if (closedWhileIdle(error)) return fetch(server.url + request.path, init);
    throw error;
  });
  const body = await response.text();
  if (response.status !== 200)
    throw new Error(`${server.name} ${request.path}: HTTP ${response.status} ${body}`);
  return body;
}

async function fixturesFrom(server: ServerProcess, admin: pg.Client): Promise<Fixtures> {
  const busiest = await admin.query<{ acquirer_id: number }>(
    'select acquirer_id from acquisitions group by acquirer_id order by count(*) desc, acquirer_id limit 1',
  );
  const credentials = {
    email: `ab-${randomBytes(4).toString('hex')}@example.com`,
    password: 'bench password 42',
  };
  const body = await send(server, {
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browserUserAgent },
    body: JSON.stringify({ query: signUpMutation, variables: { input: { name: 'Bench', ...credentials } } }),
  });
  const token = (JSON.parse(body) as { data?: { signUp?: { token?: string } } }).data?.signUp?.token;
  if (!token) throw new Error(`signUp failed: ${body}`);
  return {
    token,
    credentials,
    companyId: Buffer.from(`Company:${busiest.rows[0]?.acquirer_id ?? 1}`).toString('base64'),
  };
}

interface Sample {
  nodeUs: number;
  postgresUs: number;
  rps: number;
  /** With --instructions: per request, all of them and TurboFan's share. */
  instructions?: { total: number; compiler: number };
}

async function round(
  admin: pg.Client,
  server: ServerProcess,
  variant: Variant,
  request: HttpRequest,
  count: number,
  counted = false,
): Promise<Sample> {
  const nodeBefore = cpuMicros(server.pid) ?? 0;
  const pgBefore = await postgresCpu(admin, `ab-${variant.name}`);
  const started = performance.now();
  let next = 0;
  const sendAll = async () => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < count) await send(server, request);
      }),
    );
  };
  let instructions: { total: number; compiler: number } | undefined;
  if (counted) instructions = await countInstructions(callgrindOutFile(variant.name), sendAll);
  else await sendAll();
  const seconds = (performance.now() - started) / 1000;
  const nodeAfter = cpuMicros(server.pid) ?? 0;
  const postgres = cpuDelta(pgBefore, await postgresCpu(admin, `ab-${variant.name}`));
  return {
    nodeUs: (nodeAfter - nodeBefore) / count,
    postgresUs: postgres / count,
    rps: count / seconds,
    ...(instructions
      ? { instructions: { total: instructions.total / count, compiler: instructions.compiler / count } }
      : {}),
  };
}

async function main(): Promise<void> {
  let databaseUrl = args['database-url'];
  let drop: (() => Promise<void>) | undefined;
  if (!databaseUrl) {
    const database = await createBenchDatabase(args['admin-url']);
    databaseUrl = database.url;
    if (!args['keep-database']) drop = database.drop;
    log(`database ${database.name}: migrating and seeding`);
    await migrate(databaseUrl);
    await seed(databaseUrl, { companies: 10_000, acquisitions: 100_000, users: 1_000 });
    log(`seeded: ${databaseUrl}`);
  }
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  const servers: ServerProcess[] = [];
  try {
    for (const variant of variants) servers.push(await startVariant(variant, databaseUrl));
    const [first] = servers;
    if (!first) return;
    const fixtures = await fixturesFrom(first, admin);
    for (const operation of operations) {
      if (!selected.has(operation.id)) continue;
      const request = operation.request(fixtures);
      const samples = variants.map((): Sample[] => []);
      // Warm-up: JIT, pool connections, caches.
      for (const [i, variant] of variants.entries()) {
        const warmup = args.instructions ? Math.max(requestsPerRound, 8000) : requestsPerRound;
        await round(admin, servers[i] as ServerProcess, variant, request, warmup);
      }
      for (let r = 0; r < rounds; r++) {
        for (const [i, variant] of variants.entries()) {
          samples[i]?.push(
            await round(
              admin,
              servers[i] as ServerProcess,
              variant,
              request,
              requestsPerRound,
              args.instructions,
            ),
          );
        }
      }
      for (const [i, variant] of variants.entries()) {
        const s = samples[i] ?? [];
        const fmt = (pick: (x: Sample) => number) => s.map((x) => pick(x).toFixed(0)).join('/');
        if (args.instructions) {
          const outside = (x: Sample) => (x.instructions?.total ?? 0) - (x.instructions?.compiler ?? 0);
          log(
            `${operation.id} ${variant.name.padEnd(8)} ${median(s.map(outside)).toFixed(0)} instructions/req outside TurboFan (${fmt(outside)})` +
              `  TurboFan ${median(s.map((x) => x.instructions?.compiler ?? 0)).toFixed(0)}  at c=${concurrency}`,
          );
          continue;
        }
        log(
          `${operation.id} ${variant.name.padEnd(8)} node ${median(s.map((x) => x.nodeUs)).toFixed(0)} µs/req (${fmt((x) => x.nodeUs)})` +
            `  postgres ${median(s.map((x) => x.postgresUs)).toFixed(0)} µs/req (${fmt((x) => x.postgresUs)})` +
            `  ${median(s.map((x) => x.rps)).toFixed(0)} req/s at c=${concurrency}`,
        );
      }
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await admin.end();
    await drop?.();
  }
}

await main();
