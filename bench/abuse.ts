/**
 * `npx tsx bench/abuse.ts`: the worst guest queries we could write under the default
 * operation limits, sent to the service as production runs it (built JS, NODE_ENV=production,
 * the `pg` driver) on a fresh database of 10,000 companies and 100,000 acquisitions. Prints
 * the bytes and seconds of each answer, then three of the heaviest at once next to a small
 * query, and whether every answer stayed under 5 MB and 2 s. Not part of `npm test`; see
 * bench/README.md, "Abuse".
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createBenchDatabase, migrate, seed } from './database.js';
import {
  buildService,
  freePort,
  peakRssMb,
  resetPeakRss,
  startServer,
  productionServiceEnv,
} from './processes.js';

const { values: args } = parseArgs({
  options: {
    'skip-build': { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    // Then fill descriptions and notes to their maximum lengths and measure again.
    'long-texts': { type: 'boolean', default: false },
    'service-env': { type: 'string', multiple: true, default: [] },
    'admin-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});

const MAX_BYTES = 5 * 1024 * 1024;
const MAX_SECONDS = 2;
const runs = Number(args.runs);
const serviceEnvOverrides = Object.fromEntries(
  args['service-env'].map((pair) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);

const globalId = (typename: string, id: number) => Buffer.from(`${typename}:${id}`).toString('base64');
const repeat = (n: number, make: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => make(i)).join(' ');

const companyFields = 'id name website industry country foundedYear description createdAt updatedAt';
const acquisitionFields = `id status announcedOn closedOn notes createdAt updatedAt price { amount currency }`;

interface Fixtures {
  /** The companies with the most acquisitions, busiest first. */
  busiest: string[];
}

interface Attack {
  name: string;
  query: string;
}

/** `a { b { c { inner } } }` from ['a', 'b', 'c'] and 'inner': the braces always match. */
const nest = (path: string[], inner: string) => `${path.join(' { ')} { ${inner} ${'} '.repeat(path.length)}`;

/** A connection's rows: `name(args) { edges { node { … } } }`. */
const rows = (connection: string, ...path: string[]) => [connection, 'edges', 'node', ...path];

/** The issue's query: 15 aliases of a buyer's deals, each deal's buyer's deals, and theirs. */
function buyersOfBuyers(f: Fixtures, nested: string): string {
  return `{ ${repeat(15, (i) =>
    nest(
      [
        ...rows(`a${i}: acquisitions(first: 100, filter: { acquirerId: "${f.busiest[i]}" })`, 'acquirer'),
        ...rows(`acquisitions${nested}`, 'acquirer'),
        ...rows(`acquisitions${nested}`, 'target'),
      ],
      'name',
    ),
  )} }`;
}

/** `count` aliases of `length` characters, each on `field`. */
const longAliases = (count: number, length: number, field: string) =>
  repeat(count, (i) => `${'a'.repeat(length - String(i).length)}${i}: ${field}`);

function attacks(f: Fixtures): Attack[] {
  return [
    { name: 'issue 14 query, no first (nested default page)', query: buyersOfBuyers(f, '') },
    { name: 'issue 14 query, first: 20', query: buyersOfBuyers(f, '(first: 20)') },
    { name: 'issue 14 query, first: 1 (the largest it may ask)', query: buyersOfBuyers(f, '(first: 1)') },
    {
      name: 'one alias, busiest buyer, nested pages of 6',
      query: `{ ${nest(
        [
          ...rows(`acquisitions(first: 100, filter: { acquirerId: "${f.busiest[0]}" })`, 'acquirer'),
          ...rows('acquisitions(first: 6)', 'acquirer'),
          ...rows('acquisitions(first: 6)', 'target'),
        ],
        'name',
      )} }`,
    },
    {
      name: 'page size as a variable, not sent',
      query: `query($n: Int) { ${repeat(15, (i) =>
        nest([...rows(`a${i}: companies(first: $n)`), ...rows('acquisitions', 'target')], 'name'),
      )} }`,
    },
    {
      name: '12 × 100 acquisitions, every field, both companies',
      query: `{ ${repeat(12, (i) =>
        nest(
          [
            `a${i}: acquisitions(first: 100, orderBy: { field: ${['ANNOUNCED_ON', 'PRICE', 'CREATED_AT'][i % 3]}, direction: ${i % 2 ? 'ASC' : 'DESC'} })`,
            'edges',
          ],
          `cursor node { ${acquisitionFields} acquirer { ${companyFields} } target { ${companyFields} } }`,
        ),
      )} }`,
    },
    {
      name: '15 × 100 companies, every field, cursors, totals',
      query: `{ ${repeat(
        15,
        (
          i,
        ) => `a${i}: companies(first: 100, orderBy: { field: ${['NAME', 'CREATED_AT'][i % 2]}, direction: ${i % 3 ? 'ASC' : 'DESC'} }) {
          totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { cursor node { ${companyFields} } } }`,
      )} }`,
    },
    {
      name: '2 × 100 companies × 20 deals each, with targets',
      query: `{ ${repeat(2, (i) =>
        nest(
          [
            ...rows(
              `a${i}: companies(first: 100, orderBy: { field: NAME, direction: ${i ? 'ASC' : 'DESC'} })`,
            ),
            ...rows('acquisitions(first: 20)', 'target'),
          ],
          'name description',
        ),
      )} }`,
    },
    {
      name: '15 busiest buyers × 100 deals, every field, both companies',
      query: `{ ${repeat(
        15,
        (i) => `a${i}: company(id: "${f.busiest[i]}") { acquisitions(first: 100) { totalCount
          edges { node { ${acquisitionFields} acquirer { name } target { name description website } } } } }`,
      )} }`,
    },
    {
      name: '15 × a full count over a price filter, last page',
      query: `{ ${repeat(
        15,
        (
          i,
        ) => `a${i}: acquisitions(last: 100, filter: { minPrice: "${i + 1}", currency: "USD", status: [COMPLETED, ANNOUNCED, PENDING] },
          orderBy: { field: PRICE, direction: ASC }) { totalCount edges { node { id price { amount } } } }`,
      )} }`,
    },
    {
      name: '15 × search matching most names, with totals',
      query: `{ ${repeat(
        15,
        (i) =>
          `a${i}: companies(first: 100, search: "${'aeiou'[i % 5]}") { totalCount edges { node { name description } } }`,
      )} }`,
    },
    {
      name: 'depth 15: deals → buyer → deals → … pages of 2',
      query: `{ ${nest(
        [
          ...rows('acquisitions(first: 100)', 'acquirer'),
          ...rows('acquisitions(first: 2)', 'acquirer'),
          ...rows('acquisitions(first: 2)', 'acquirer'),
        ],
        'name',
      )} }`,
    },
    {
      name: '15 aliases of 3,000 characters on 100 rows',
      query: `{ ${nest(rows('acquisitions(first: 100)'), longAliases(15, 3000, 'id'))} }`,
    },
    {
      name: '15 aliases of 3,000 characters on 100 buyers × 20 deals',
      query: `{ ${nest(
        [
          ...rows('companies(first: 100, orderBy: { field: NAME, direction: DESC })'),
          ...rows('acquisitions(first: 20)'),
        ],
        longAliases(15, 3000, 'id'),
      )} }`,
    },
    ...[32, 64, 100].map((length) => ({
      name: `15 aliases of ${length} characters on cursors of 2,400 deals`,
      query: `{ ${nest(
        [...rows('acquisitions(first: 100)', 'acquirer'), 'acquisitions(first: 24)', 'edges'],
        longAliases(15, length, 'cursor'),
      )} }`,
    })),
  ];
}

interface Measurement {
  status: number;
  bytes: number;
  seconds: number;
  outcome: string;
}

async function send(url: string, attack: Attack): Promise<Measurement> {
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: attack.query }),
  });
  const body = Buffer.from(await response.arrayBuffer());
  const seconds = (performance.now() - started) / 1000;
  const parsed = JSON.parse(body.toString('utf8')) as {
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  const error = parsed.errors?.[0];
  const outcome = error ? `${error.extensions?.code}: ${error.message.slice(0, 70)}` : 'served';
  return { status: response.status, bytes: body.length, seconds, outcome };
}

/** Runs one statement on the bench database (pg's own client, as the harness does). */
async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function busiestAcquirers(url: string): Promise<{ ids: number[]; globalIds: string[] }> {
  const rows = await query<{ id: number }>(
    url,
    'select acquirer_id as id from acquisitions group by acquirer_id order by count(*) desc limit 15',
  );
  return { ids: rows.map((row) => row.id), globalIds: rows.map((row) => globalId('Company', row.id)) };
}

/**
 * The longest texts the inputs allow (descriptions 5,000 characters, notes 10,000), where the
 * long-text attack reads them: every company, and the deals of the 15 busiest buyers. The
 * seeded texts are a few dozen characters.
 */
async function fillLongTexts(url: string, busiest: number[]): Promise<void> {
  await query(url, "update companies set description = repeat('d', 5000)");
  await query(
    url,
    `update acquisitions set notes = repeat('n', 10000) where acquirer_id in (${busiest.join(',')})`,
  );
}

function longTextAttacks(f: Fixtures): Attack[] {
  return [
    {
      name: '15 busiest buyers × 100 deals: notes and target descriptions',
      query: `{ ${repeat(15, (i) =>
        nest(
          [`a${i}: company(id: "${f.busiest[i]}")`, ...rows('acquisitions(first: 100)')],
          'notes target { description }',
        ),
      )} }`,
    },
  ];
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);

/** Sends each attack `runs` times; prints a table row per attack with the largest bytes and seconds. */
async function measureAll(url: string, list: Attack[]): Promise<{ attack: Attack; worst: Measurement }[]> {
  const results: { attack: Attack; worst: Measurement }[] = [];
  console.log(`\n| query | outcome | HTTP | MB (max of ${runs}) | s (max of ${runs}) |`);
  console.log('| --- | --- | --- | --- | --- |');
  for (const attack of list) {
    const measured: Measurement[] = [];
    for (let i = 0; i < runs; i++) measured.push(await send(url, attack));
    const worst = measured.reduce((a, b) => ({
      ...b,
      bytes: Math.max(a.bytes, b.bytes),
      seconds: Math.max(a.seconds, b.seconds),
    }));
    results.push({ attack, worst });
    console.log(
      `| ${attack.name} | ${worst.outcome} | ${worst.status} | ${mb(worst.bytes)} | ${worst.seconds.toFixed(2)} |`,
    );
  }
  return results;
}
async function main() {
  if (!args['skip-build']) buildService();
  const database = await createBenchDatabase(args['admin-url']);
  const stopOnSignal = () => void database.drop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  try {
    console.log(`database ${database.name}: migrating and seeding 10,000 companies, 100,000 acquisitions…`);
    await migrate(database.url);
    await seed(database.url, { companies: 10_000, acquisitions: 100_000, users: 100 });
    const busiest = await busiestAcquirers(database.url);
    const fixtures: Fixtures = { busiest: busiest.globalIds };

    const port = await freePort();
    const service = await startServer({
      name: 'service',
      args: ['dist/index.js'],
      env: productionServiceEnv(database.url, port, 'abuse-bench-secret-that-is-long-enough-for-production', {
        // Rate limits are off (each query here is one guest's; the budgets, 300 root fields a
        // minute, would refuse the run itself after a few 15-alias queries). Operation limits stay on.
        ...serviceEnvOverrides,
      }),
      port,
      readyPath: '/health',
    });
    try {
      const results = await measureAll(service.url, attacks(fixtures));

      // Three of the heaviest answered queries at once, while another client asks for little.
      const heaviest = results
        .filter((r) => r.worst.outcome === 'served')
        .sort((a, b) => b.worst.seconds - a.worst.seconds)
        .slice(0, 3);
      resetPeakRss(service.pid);
      let probing = true;
      let slowestProbe = 0;
      const probe = (async () => {
        while (probing) {
          const started = performance.now();
          await send(service.url, { name: 'probe', query: '{ companies(first: 1) { totalCount } }' });
          slowestProbe = Math.max(slowestProbe, (performance.now() - started) / 1000);
        }
      })();
      const together = await Promise.all(heaviest.map((r) => send(service.url, r.attack)));
      probing = false;
      await probe;
      console.log(
        `\nAt once: ${heaviest.map((r) => r.attack.name).join('; ')}: ` +
          `${together.map((m) => `${m.seconds.toFixed(2)} s`).join(', ')}; ` +
          `a small query meanwhile took at most ${slowestProbe.toFixed(2)} s; service peak RSS ${peakRssMb(service.pid).toFixed(0)} MiB.`,
      );

      const over = results.filter(
        (r) => r.worst.outcome === 'served' && (r.worst.bytes > MAX_BYTES || r.worst.seconds > MAX_SECONDS),
      );
      console.log(
        over.length === 0
          ? `\nEvery answered query stayed under ${MAX_BYTES / 1024 / 1024} MB and ${MAX_SECONDS} s.`
          : `\nOver ${MAX_BYTES / 1024 / 1024} MB or ${MAX_SECONDS} s: ${over.map((r) => r.attack.name).join('; ')}`,
      );
      process.exitCode = over.length === 0 ? 0 : 1;

      if (args['long-texts']) {
        console.log('\nWith the longest descriptions and notes the inputs allow:');
        await fillLongTexts(database.url, busiest.ids);
        await measureAll(service.url, longTextAttacks(fixtures));
      }
    } finally {
      await service.stop();
    }
  } finally {
    await database.drop();
  }
}

await main();
