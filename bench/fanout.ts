/**
 * `npx tsx bench/fanout.ts`: live-event fan-out across two instances. Instance A holds N SSE
 * subscriptions (a separate client process, bench/fanout-clients.ts); a writer creates
 * acquisitions through instance B; the event travels B → Redis → A → every subscriber.
 * Reports deliveries per second, the delay from commit to client (p50, p99, max) and A's
 * memory per open subscription. Needs the local Postgres and Redis; not part of `npm test`
 * or `npm run bench`. See bench/README.md, "Fan-out".
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createBenchDatabase, migrate } from './database.js';
import {
  buildService,
  freePort,
  projectRoot,
  startServer,
  tsNode,
  type ServerProcess,
  productionServiceEnv,
} from './processes.js';

const { values: args } = parseArgs({
  options: {
    'skip-build': { type: 'boolean', default: false },
    subscribers: { type: 'string', default: '1000' },
    writes: { type: 'string', default: '100' },
    // Written and delivered first, not measured: JIT, first writes on each socket.
    warmup: { type: 'string', default: '20' },
    // Writes per second through B; 0: one after the other, as fast as B answers.
    rate: { type: 'string', default: '5' },
    // Also select the deal's companies: each subscriber then reads them from the database.
    'with-companies': { type: 'boolean', default: false },
    'admin-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
    // Instance A under node --cpu-prof: bench/results/fanout-A.cpuprofile (bench/profile.ts reads it).
    'cpu-prof': { type: 'boolean', default: false },
  },
});

const subscribers = Number(args.subscribers);
const writes = Number(args.writes);
const warmup = Number(args.warmup);
const rate = Number(args.rate);
// Production's bot guard refuses signUp from agents isbot recognises (node among them).
const browser = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36',
};

const subscription = `subscription { acquisitionEvents { kind at acquisition { id status price { amount currency } ${
  args['with-companies'] ? 'acquirer { name } target { name }' : ''
} } } }`;

/** The resident set of a process now (not its peak), in bytes. */
const rssBytes = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;

async function post(url: string, query: string, variables: Record<string, unknown>, headers = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...browser, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (body.errors) throw new Error(`${query.slice(0, 40)}…: ${JSON.stringify(body.errors)}`);
  return body.data as Record<string, { [key: string]: unknown }>;
}

interface ClientStats {
  received: number;
  errors: number;
  firstArrival: number;
  lastArrival: number;
  p50: number;
  p99: number;
  max: number;
}

function startClients(url: string) {
  const child = spawn(
    process.execPath,
    [...tsNode('bench/fanout-clients.ts'), JSON.stringify({ url, count: subscribers, query: subscription })],
    { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const nextMessage = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string }) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        resolve(message as T);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`the clients exited (${code})`)));
    });
  return {
    ready: nextMessage<unknown>('ready'),
    async received() {
      const reply = nextMessage<{ received: number }>('progress');
      child.send('progress');
      return (await reply).received;
    },
    async reset() {
      const reply = nextMessage<unknown>('reset');
      child.send('reset');
      await reply;
    },
    async finish() {
      const stats = nextMessage<ClientStats>('stats');
      child.send('finish');
      return stats;
    },
  };
}

async function main() {
  if (!args['skip-build']) buildService();
  const database = await createBenchDatabase(args['admin-url']);
  process.once('SIGINT', () => void database.drop().finally(() => process.exit(130)));
  const servers: ServerProcess[] = [];
  try {
    await migrate(database.url);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const { rows } = await admin.query<{ id: number }>(
      "insert into companies (name) values ('Fan-out Buyer'), ('Fan-out Target') returning id",
    );
    await admin.end();
    const [acquirerId, targetId] = rows.map((row) => Buffer.from(`Company:${row.id}`).toString('base64'));

    const redisPrefix = `bench:${randomUUID()}:`;
    const start = async (name: string, profile = false) => {
      const port = await freePort();
      const server = await startServer({
        name,
        args: [
          ...(profile
            ? [
                '--cpu-prof',
                `--cpu-prof-dir=${projectRoot}bench/results`,
                '--cpu-prof-name=fanout-A.cpuprofile',
              ]
            : []),
          'dist/index.js',
        ],
        env: productionServiceEnv(
          database.url,
          port,
          'fanout-bench-secret-that-is-long-enough-for-production',
          {
            REDIS_URL: args['redis-url'],
            REDIS_KEY_PREFIX: redisPrefix,
            // Every subscriber is a guest from 127.0.0.1: one viewer, as far as the caps go.
            SUBSCRIPTIONS_PER_VIEWER: '10000',
          },
        ),
        port,
        readyPath: '/health',
      });
      servers.push(server);
      return server;
    };
    const a = await start('A (subscribers)', args['cpu-prof']);
    const b = await start('B (writes)');

    const signUp = await post(b.url, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
      input: {
        name: 'Fan-out Writer',
        email: `writer-${randomUUID()}@example.com`,
        password: 'fan-out writer password',
      },
    });
    const auth = { authorization: `Bearer ${signUp.signUp!.token as string}` };

    await delay(500); // let A settle after start-up before reading its memory
    const rssBefore = rssBytes(a.pid);
    const clients = startClients(a.url);
    await clients.ready;
    await delay(500);
    const perSubscription = (rssBytes(a.pid) - rssBefore) / subscribers;

    const statuses = ['RUMORED', 'ANNOUNCED', 'PENDING', 'COMPLETED'];
    /** `count` writes through B at `rate` a second; resolves once all are delivered (or 30 s passed). */
    const writeAndDeliver = async (count: number) => {
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        await post(
          b.url,
          'mutation($input: CreateAcquisitionInput!) { createAcquisition(input: $input) { id } }',
          {
            input: {
              acquirerId,
              targetId,
              status: statuses[i % statuses.length],
              price: { amount: String(i), currency: 'USD' },
            },
          },
          auth,
        );
        if (rate > 0) {
          const wait = started + ((i + 1) * 1000) / rate - performance.now();
          if (wait > 0) await delay(wait);
        }
      }
      const seconds = (performance.now() - started) / 1000;
      const deadline = Date.now() + 30_000;
      while ((await clients.received()) < subscribers * count && Date.now() < deadline) await delay(100);
      return seconds;
    };
    await writeAndDeliver(warmup);
    await clients.reset();
    const writeSeconds = await writeAndDeliver(writes);
    const expected = subscribers * writes;
    const stats = await clients.finish();

    const deliverySeconds = (stats.lastArrival - stats.firstArrival) / 1000;
    const lines = [
      `| subscribers (SSE, on A) | ${subscribers} |`,
      `| writes (on B), after ${warmup} unmeasured | ${writes} in ${writeSeconds.toFixed(1)} s (${(writes / writeSeconds).toFixed(1)}/s${rate > 0 ? `, paced at ${rate}/s` : ', unpaced'}) |`,
      `| selection | ${args['with-companies'] ? 'deal fields and both companies (a read per subscriber)' : 'deal fields from the event (no read per subscriber)'} |`,
      `| delivered | ${stats.received} of ${expected}${stats.errors ? `, ${stats.errors} errors` : ''} |`,
      `| deliveries/s | ${(stats.received / Math.max(deliverySeconds, 0.001)).toFixed(0)} |`,
      `| commit → client p50 / p99 / max | ${stats.p50} / ${stats.p99} / ${stats.max} ms |`,
      `| A's memory per open subscription | ${(perSubscription / 1024).toFixed(1)} KiB (RSS growth / subscribers) |`,
    ];
    const report = ['| fan-out | |', '| --- | --- |', ...lines].join('\n');
    console.log(`\n${report}`);
    writeFileSync(
      `${projectRoot}bench/results/fanout-${args['with-companies'] ? 'companies' : 'latest'}.md`,
      `${report}\n`,
    );
    const p99Target = 100;
    if (stats.received < expected || stats.p99 >= p99Target) {
      console.log(`\nTarget missed: every event delivered, p99 < ${p99Target} ms.`);
      process.exitCode = 1;
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await database.drop();
  }
}

await main();
