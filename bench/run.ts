/**
 * `npm run bench`: measures the built service against the floor (bench/floor.ts)
 * and a hello server, side by side in one run, on a fresh seeded database.
 * See bench/README.md for what each number means.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { firstDifference, type Json } from './compare.js';
import { createBenchDatabase, migrate, seed, type SeedCounts } from './database.js';
import type { LoadResult } from './load.js';
import { productionNodeOptions } from './production-node-options.js';
import {
  browserUserAgent,
  firstPageCursorQuery,
  operations,
  signUpMutation,
  type Fixtures,
  type HttpRequest,
  type Operation,
} from './operations.js';
import {
  cleanEnv,
  cpuDelta,
  cpuMicros,
  freePort,
  peakRssMb,
  postgresCpu,
  projectRoot,
  resetPeakRss,
  runLoad,
  startServer,
  tsNode,
  type ServerProcess,
  productionServiceEnv,
} from './processes.js';
import {
  evaluateTargets,
  median,
  renderMarkdown,
  summarizeRounds,
  type BenchReport,
  type OperationId,
  type OperationReport,
  type Round,
} from './report.js';

const usage = `npm run bench -- [options]
  --quick               ~1-minute smoke: short warm-up and rounds (results go to bench/results/quick.*)
  --connections N       autocannon connections (default 32)
  --duration S          seconds per round (default 10; quick 2)
  --warmup S            warm-up seconds per server and operation (default 30; quick 2)
  --rounds N            alternating rounds per server (default 3; quick 2)
  --only Q3,Q4          measure only these operations
  --service-env K=V     extra environment for the measured service (repeatable), e.g. DB_POOL_MAX=20
  --service-preload F   preload module F into the measured service (repeatable), e.g. an experiment patching a driver
  --cpu-prof            run the measured service under node --cpu-prof (profile in bench/results/)
  --skip-build          use the existing dist/
  --skip-cold-start     do not measure cold starts (quicker experiments)
  --admin-url URL       Postgres server to create the database on (default postgres://postgres@127.0.0.1:5432/postgres)`;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    connections: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    rounds: { type: 'string' },
    only: { type: 'string' },
    'service-env': { type: 'string', multiple: true, default: [] },
    'service-preload': { type: 'string', multiple: true, default: [] },
    'cpu-prof': { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
    'skip-cold-start': { type: 'boolean', default: false },
    'admin-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(usage);
  process.exit(0);
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

const quick = args.quick;
const settings = {
  connections: positive('connections', args.connections, 32),
  durationSeconds: positive('duration', args.duration, quick ? 2 : 10),
  // The service's Node CPU per request keeps falling for ~20 s of load while V8 optimizes
  // its code (bench/README.md, "Warm-up"); rounds measure it once settled, as it runs in production.
  warmupSeconds: positive('warmup', args.warmup, quick ? 2 : 30),
  rounds: positive('rounds', args.rounds, quick ? 2 : 3),
  coldStarts: quick ? 1 : 3,
};
const counts: SeedCounts = { companies: 10_000, acquisitions: 100_000, users: 1_000 };
const selected = args.only ? new Set(args.only.split(',').map((s) => s.trim().toUpperCase())) : undefined;
const serviceEnvOverrides = Object.fromEntries(
  args['service-env'].map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--service-env takes KEY=VALUE, got ${pair}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
const jwtSecret = randomBytes(48).toString('base64url');
const statementSamples = 20;
const resultsDir = join(projectRoot, 'bench/results');
/** Only a complete default run may replace latest.*, the results the README links. */
const customized =
  [args.only, args.connections, args.duration, args.warmup, args.rounds].some((v) => v !== undefined) ||
  args['cpu-prof'] ||
  args['skip-cold-start'] ||
  args['service-env'].length > 0 ||
  args['service-preload'].length > 0;
const runLabel = quick ? 'quick' : customized ? `partial-${[...(selected ?? ['all'])].join('-')}` : 'latest';

const log = (message: string) => console.log(`[bench] ${message}`);
const cleanups: (() => Promise<void>)[] = [];
async function cleanup(): Promise<void> {
  while (cleanups.length)
    await cleanups
      .pop()?.()
      .catch((error: unknown) => log(`cleanup: ${String(error)}`));
}
process.once('SIGINT', () => {
  log('interrupted: stopping servers and dropping the database');
  void cleanup().then(() => process.exit(130));
});

/** How the service runs in production, against the benchmark database. */
function serviceEnv(databaseUrl: string, port: number, extra: Record<string, string> = {}) {
  return productionServiceEnv(databaseUrl, port, jwtSecret, {
    // Long enough that the Q2 token outlives the run.
    TOKEN_TTL: '6h',
    // The pg driver reads PGAPPNAME: lets the harness find this server's Postgres backends.
    PGAPPNAME: 'bench-service',
    ...extra,
  });
}

function floorEnv(databaseUrl: string, port: number) {
  return cleanEnv({
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    POOL_MAX: serviceEnvOverrides.DB_POOL_MAX ?? '10',
    JWT_SECRET: jwtSecret,
    TOKEN_TTL_SECONDS: String(6 * 3600),
    PGAPPNAME: 'bench-floor',
    // The same V8 settings as the service: the comparison is of code, not of heap limits.
    NODE_OPTIONS: productionNodeOptions(),
  });
}

/** The measured service's node flags: a profiler and experiment preloads, when asked for. */
function measuredNodeArgs(): string[] {
  const preloads = args['service-preload'];
  return [
    ...(preloads.length ? ['--import', 'tsx', ...preloads.flatMap((file) => ['--import', file])] : []),
    ...(args['cpu-prof']
      ? ['--cpu-prof', `--cpu-prof-dir=${resultsDir}`, `--cpu-prof-name=service-${runLabel}.cpuprofile`]
      : []),
  ];
}

async function startService(databaseUrl: string, options: { count?: boolean } = {}) {
  const port = await freePort();
  const nodeArgs = options.count
    ? ['--import', 'tsx', '--import', './bench/count-statements.ts']
    : measuredNodeArgs();
  return startServer({
    name: options.count ? 'service (counting)' : 'service',
    args: [...nodeArgs, 'dist/index.js'],
    env: serviceEnv(databaseUrl, port, options.count ? {} : serviceEnvOverrides),
    port,
    readyPath: '/health',
    count: options.count,
  });
}

async function startFloor(databaseUrl: string, count = false) {
  const port = await freePort();
  return startServer({
    name: count ? 'floor (counting)' : 'floor',
    args: tsNode('bench/floor.ts', ...(count ? ['./bench/count-statements.ts'] : [])),
    env: floorEnv(databaseUrl, port),
    port,
    readyPath: '/health/live',
    count,
  });
}

async function send(server: ServerProcess, request: HttpRequest): Promise<{ status: number; body: string }> {
  const response = await fetch(server.url + request.path, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, body: await response.text() };
}

interface GraphQLBody {
  data?: Json;
  errors?: { message: string }[];
}

/** Why the service cannot serve an operation, or null when it answers it without errors. */
async function unavailableReason(server: ServerProcess, request: HttpRequest): Promise<string | null> {
  const { status, body } = await send(server, request);
  if (request.path !== '/graphql') return status === 200 ? null : `HTTP ${status}`;
  const parsed = JSON.parse(body) as GraphQLBody;
  if (parsed.errors?.length) return parsed.errors[0]?.message ?? 'error';
  return status === 200 ? null : `HTTP ${status}`;
}

/** One GraphQL request to the service outside the measured operations (fixtures). */
async function ask<Data>(service: ServerProcess, query: string, variables?: Record<string, unknown>) {
  const { body } = await send(service, {
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browserUserAgent },
    body: JSON.stringify({ query, variables }),
  });
  return JSON.parse(body) as GraphQLBody & { data?: Data | null };
}

/**
 * The values the operations need, taken from the database and the service, and why an
 * operation cannot run when the service did not provide what it needs.
 */
async function prepareFixtures(
  service: ServerProcess,
  databaseUrl: string,
): Promise<{ fixtures: Fixtures; unavailable: Partial<Record<OperationId, string>> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const busiest = await client
    .query<{ acquirer_id: number }>(
      'select acquirer_id from acquisitions group by acquirer_id order by count(*) desc, acquirer_id limit 1',
    )
    .finally(() => client.end());
  const companyDatabaseId = busiest.rows[0]?.acquirer_id ?? 1;
  const credentials = {
    email: `bench-${randomBytes(4).toString('hex')}@example.com`,
    password: 'bench password 42',
  };
  const fixtures: Fixtures = {
    credentials,
    companyId: Buffer.from(`Company:${companyDatabaseId}`).toString('base64'),
  };
  const unavailable: Partial<Record<OperationId, string>> = {};
  const signUp = await ask<{ signUp?: { token?: string } }>(service, signUpMutation, {
    input: { name: 'Bench', ...credentials },
  });
  fixtures.token = signUp.data?.signUp?.token;
  if (!fixtures.token) {
    unavailable.Q2 = unavailable.Q5 = `signUp failed: ${signUp.errors?.[0]?.message ?? 'no token'}`;
  }
  const firstPage = await ask<{ acquisitions?: { pageInfo?: { endCursor?: string | null } } }>(
    service,
    firstPageCursorQuery,
  );
  fixtures.after = firstPage.data?.acquisitions?.pageInfo?.endCursor ?? undefined;
  if (!fixtures.after) {
    unavailable.Q6 = `no endCursor for page 1: ${firstPage.errors?.[0]?.message ?? 'null'}`;
  }
  return { fixtures, unavailable };
}

async function statementsPerRequest(server: ServerProcess, request: HttpRequest): Promise<number> {
  const before = await server.statements();
  for (let i = 0; i < statementSamples; i++) await send(server, request);
  return ((await server.statements()) - before) / statementSamples;
}

interface Plan {
  operation: Operation;
  report: OperationReport;
  request: HttpRequest;
  serviceStatements: number | null;
  floorStatements: number | null;
}

/**
 * One counting-only instance of the service and of the floor: probes which
 * operations the service serves, checks that both give the same data, and
 * counts statements per request. The measured instances carry no hook.
 */
async function preflight(databaseUrl: string): Promise<Plan[]> {
  const service = await startService(databaseUrl, { count: true });
  let floor: ServerProcess | undefined;
  try {
    floor = await startFloor(databaseUrl, true);
    const { fixtures, unavailable } = await prepareFixtures(service, databaseUrl);
    const plans: Plan[] = [];
    for (const operation of operations) {
      if (selected && !selected.has(operation.id)) continue;
      const report: OperationReport = {
        title: operation.title,
        floorName: operation.against === 'hello' ? 'node:http hello' : 'floor',
        status: 'ok',
        ratio: null,
        statementsPerRequest: null,
      };
      const request = operation.request(fixtures);
      const plan: Plan = { operation, report, request, serviceStatements: null, floorStatements: null };
      plans.push(plan);
      const reason = unavailable[operation.id] ?? (await unavailableReason(service, request));
      if (reason) {
        Object.assign(report, { status: 'unavailable', reason });
        log(`${operation.id} unavailable: ${reason}`);
        continue;
      }
      if (operation.compareData) {
        const expected = JSON.parse((await send(floor, request)).body) as GraphQLBody;
        const actual = JSON.parse((await send(service, request)).body) as GraphQLBody;
        const difference = firstDifference(expected.data, actual.data);
        if (difference) {
          Object.assign(report, { status: 'mismatch', reason: difference });
          log(`${operation.id} MISMATCH between floor and service: ${difference}`);
        } else {
          log(`${operation.id}: service and floor return the same data`);
        }
      }
      plan.serviceStatements = await statementsPerRequest(service, request);
      plan.floorStatements = operation.against === 'floor' ? await statementsPerRequest(floor, request) : 0;
      report.statementsPerRequest = plan.serviceStatements;
    }
    return plans;
  } finally {
    await Promise.all([service.stop(), floor?.stop()]);
  }
}

interface Target {
  server: ServerProcess;
  applicationName?: string;
}

async function measureRound(
  admin: pg.Client,
  target: Target,
  request: HttpRequest,
  seconds: number,
  options: { probeHealth?: boolean; countsSessions?: boolean } = {},
): Promise<{ round: Round; probe?: LoadResult }> {
  const { server, applicationName } = target;
  const sessions = async () =>
    (await admin.query<{ n: number }>('select count(*)::int as n from sessions')).rows[0]?.n ?? 0;
  const sessionsBefore = options.countsSessions ? await sessions() : 0;
  resetPeakRss(server.pid);
  const nodeBefore = cpuMicros(server.pid);
  const pgBefore = applicationName ? await postgresCpu(admin, applicationName) : undefined;
  const spec = {
    url: server.url + request.path,
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections: settings.connections,
    durationSeconds: seconds,
  };
  const [load, probe] = await Promise.all([
    runLoad(spec),
    options.probeHealth
      ? // A monitor polling at 100 Hz on one connection, measured while the main load floods the server.
        runLoad({
          url: `${server.url}/health/live`,
          method: 'GET',
          connections: 1,
          durationSeconds: seconds,
          overallRate: 100,
        })
      : undefined,
  ]);
  const nodeAfter = cpuMicros(server.pid);
  const pgAfter = applicationName ? await postgresCpu(admin, applicationName) : undefined;
  // A signIn refused with HTTP 200 and a GraphQL error looks like success to autocannon; a session row does not.
  const refused = options.countsSessions
    ? Math.max(0, load.requests - ((await sessions()) - sessionsBefore))
    : 0;
  const perRequest = (micros: number | null) =>
    micros === null || load.requests === 0 ? null : micros / load.requests;
  return {
    round: {
      rps: load.rps,
      p50Ms: load.p50Ms,
      p99Ms: load.p99Ms,
      peakRssMb: peakRssMb(server.pid),
      nodeCpuUsPerReq: perRequest(nodeBefore === null || nodeAfter === null ? null : nodeAfter - nodeBefore),
      postgresCpuUsPerReq: perRequest(pgBefore && pgAfter ? cpuDelta(pgBefore, pgAfter) : null),
      loadGeneratorCpuUsPerReq: perRequest(load.loadGeneratorCpuMs * 1000),
      failures: load.errors + load.timeouts + load.non2xx + refused,
    },
    probe,
  };
}

/** Warm-up for both, then A B A B … so a machine that drifts during the run hits both sides alike. */
async function measure(admin: pg.Client, plan: Plan, service: Target, against: Target): Promise<void> {
  const { operation, report, request } = plan;
  log(`${operation.id} ${operation.title}: warm-up ${settings.warmupSeconds} s each`);
  await measureRound(admin, service, request, settings.warmupSeconds);
  await measureRound(admin, against, request, settings.warmupSeconds);
  const options = { probeHealth: operation.probeHealthDuringLoad, countsSessions: operation.createsSession };
  const rounds: {
    service: Round[];
    against: Round[];
    serviceProbe: LoadResult[];
    againstProbe: LoadResult[];
  } = {
    service: [],
    against: [],
    serviceProbe: [],
    againstProbe: [],
  };
  for (let i = 0; i < settings.rounds; i++) {
    const a = await measureRound(admin, service, request, settings.durationSeconds, options);
    const b = await measureRound(admin, against, request, settings.durationSeconds, options);
    rounds.service.push(a.round);
    rounds.against.push(b.round);
    if (a.probe) rounds.serviceProbe.push(a.probe);
    if (b.probe) rounds.againstProbe.push(b.probe);
    log(
      `${operation.id} round ${i + 1}: service ${Math.round(a.round.rps)} req/s p99 ${a.round.p99Ms} ms · ` +
        `${report.floorName} ${Math.round(b.round.rps)} req/s p99 ${b.round.p99Ms} ms`,
    );
  }
  report.service = summarizeRounds(rounds.service, plan.serviceStatements);
  report.floor = summarizeRounds(rounds.against, plan.floorStatements);
  report.ratio = report.service.rps / report.floor.rps;
  if (operation.probeHealthDuringLoad) {
    const summarize = (probes: LoadResult[]) => ({
      rps: median(probes.map((p) => p.rps)),
      p50Ms: median(probes.map((p) => p.p50Ms)),
      p99Ms: median(probes.map((p) => p.p99Ms)),
    });
    report.healthUnderLoad = {
      service: summarize(rounds.serviceProbe),
      floor: summarize(rounds.againstProbe),
    };
  }
}

/** Process start to the first /health 200, median of a few starts. */
async function coldStarts(databaseUrl: string): Promise<BenchReport['coldStartMs']> {
  const times = async (env: () => Promise<{ env: NodeJS.ProcessEnv; port: number }>, n: number) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const { env: processEnv, port } = await env();
      const server = await startServer({
        name: 'service',
        args: ['dist/index.js'],
        env: processEnv,
        port,
        readyPath: '/health',
      });
      ms.push(server.startupMs);
      await server.stop();
    }
    return median(ms);
  };
  const pg = await times(async () => {
    const port = await freePort();
    return { env: serviceEnv(databaseUrl, port), port };
  }, settings.coldStarts);
  const dataDir = mkdtempSync(join(os.tmpdir(), 'acq-bench-pglite-'));
  try {
    const pgliteEnv = async () => {
      const port = await freePort();
      const env = serviceEnv('', port, { DATABASE_DRIVER: 'pglite', PGLITE_DATA_DIR: dataDir });
      delete env.DATABASE_URL;
      return { env, port };
    };
    const pgliteFirstStart = await times(pgliteEnv, 1);
    const pglite = await times(pgliteEnv, settings.coldStarts);
    return { pg, pglite, pgliteFirstStart };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function packageVersion(name: string): string {
  const file = join(projectRoot, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  const started = Date.now();
  if (!args['skip-build']) {
    log('building the service (npm run build)');
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: projectRoot, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }

  const database = await createBenchDatabase(args['admin-url']);
  cleanups.push(() => database.drop());
  log(`database ${database.name}: migrating and seeding ${JSON.stringify(counts)}`);
  const seeding = performance.now();
  await migrate(database.url);
  const seeder = await seed(database.url, counts);
  log(`migrated and seeded in ${Math.round((performance.now() - seeding) / 1000)} s`);

  const admin = new pg.Client({ connectionString: database.url, application_name: 'bench-harness' });
  await admin.connect();
  cleanups.push(() => admin.end());
  const postgresVersion = (await admin.query<{ server_version: string }>('show server_version')).rows[0]
    ?.server_version;

  let coldStartMs: BenchReport['coldStartMs'] = { pg: null, pglite: null };
  if (!args['skip-cold-start']) {
    log('cold starts');
    coldStartMs = await coldStarts(database.url);
    log(
      `cold start: pg ${Math.round(coldStartMs.pg ?? 0)} ms, PGlite ${Math.round(coldStartMs.pglite ?? 0)} ms`,
    );
  }

  log('preflight: availability, data check, statement counts');
  const plans = await preflight(database.url);

  const service = await startService(database.url);
  cleanups.push(() => service.stop());
  const floor = await startFloor(database.url);
  cleanups.push(() => floor.stop());
  const helloPort = await freePort();
  const hello = await startServer({
    name: 'hello',
    args: tsNode('bench/hello.ts'),
    env: cleanEnv({ HOST: '127.0.0.1', PORT: String(helloPort), NODE_OPTIONS: productionNodeOptions() }),
    port: helloPort,
    readyPath: '/',
  });
  cleanups.push(() => hello.stop());

  for (const plan of plans) {
    if (plan.report.status === 'unavailable') continue;
    const against =
      plan.operation.against === 'hello'
        ? { server: hello }
        : { server: floor, applicationName: 'bench-floor' };
    await measure(admin, plan, { server: service, applicationName: 'bench-service' }, against);
  }

  const operationsReport: BenchReport['operations'] = Object.fromEntries(
    plans.map((p) => [p.operation.id, p.report]),
  );
  const cpus = os.cpus();
  const report: BenchReport = {
    date: new Date(started).toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()}`,
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    versions: {
      node: process.versions.node,
      postgres: postgresVersion ?? 'unknown',
      ...Object.fromEntries(
        ['graphql-yoga', '@pothos/core', '@pothos/plugin-drizzle', 'drizzle-orm', 'pg', 'autocannon'].map(
          (n) => [n, packageVersion(n)],
        ),
      ),
    },
    settings: {
      connections: settings.connections,
      durationSeconds: settings.durationSeconds,
      warmupSeconds: settings.warmupSeconds,
      rounds: settings.rounds,
      quick,
      seed: { ...counts, seeder },
      statementCounting:
        'a counting-only instance of each server with pg.Client#query wrapped (bench/count-statements.ts), ' +
        `${statementSamples} sequential requests per operation`,
    },
    operations: operationsReport,
    coldStartMs,
    checks: evaluateTargets(operationsReport, coldStartMs),
  };

  await cleanup();
  mkdirSync(resultsDir, { recursive: true });
  const base = join(resultsDir, runLabel);
  const markdown = renderMarkdown(report);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  console.log(`\n${markdown}`);
  log(`wrote ${base}.json and ${base}.md in ${Math.round((Date.now() - started) / 1000)} s`);
  if (plans.some((p) => p.report.status === 'mismatch')) {
    log('the service and the floor disagree on some data: fix that before trusting the ratios');
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (error) {
  console.error(`[bench] ${error instanceof Error ? error.message : String(error)}`);
  await cleanup();
  process.exitCode = 1;
}
