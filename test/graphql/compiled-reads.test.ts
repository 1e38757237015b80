/**
 * Compiled reads against the resolvers: every query below is answered both ways on the
 * same data, and the two answers must serialize to the same JSON. The compiled path
 * must also serve it (not quietly hand it back), in one statement; what it does not serve
 * must reach the resolvers and their errors.
 */
import { execute, parse, type ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBulk } from '../../src/db/bulk-seed.js';
import { accountColumns } from '../../src/auth/account.js';
import { acquisitions, companies, users } from '../../src/db/schema.js';
import { variableRoles } from '../../src/graphql/compiled-reads/statement-shape.js';
import { executeCompiled } from '../../src/graphql/compiled-reads/use-compiled-reads.js';
import type { Context, Viewer } from '../../src/graphql/context.js';
import { schema } from '../../src/graphql/schema.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { signUp } from '../helpers/accounts.js';
import { codesOf, globalId, withStatements } from '../helpers/domain.js';

let t: TestApp;
let context: Context;
let busiest: string;
let oddId: string;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT: 'false' });
  const { db } = t.app.database;
  await seedBulk(db, { companies: 40, acquisitions: 240, users: 3, seed: 7 }, 'not-a-real-hash');
  // Text JSON must escape, a LIKE pattern's own wildcards, a currency without a price.
  const [odd] = await db
    .insert(companies)
    .values({ name: 'Odd "Quotes" \\ 100%_Co\nÜnïcödé ☃', country: 'DE', website: null })
    .returning({ id: companies.id });
  const [first] = await db.select({ id: companies.id }).from(companies).limit(1);
  await db.insert(acquisitions).values([
    { acquirerId: odd!.id, targetId: first!.id, status: 'rumored', priceAmount: null, currency: 'EUR' },
    { acquirerId: first!.id, targetId: odd!.id, status: 'pending', notes: 'tab\there "q"' },
    // Prices a double cannot tell apart: a cursor must carry every digit.
    ...['999999999999999998.02', '999999999999999998.01', '999999999999999998.00'].map((priceAmount) => ({
      acquirerId: odd!.id,
      targetId: first!.id,
      status: 'completed' as const,
      priceAmount,
      currency: 'USD',
    })),
  ]);
  oddId = globalId('Company', odd!.id);
  const counted = await db.execute(
    'select acquirer_id as id from acquisitions group by acquirer_id order by count(*) desc, acquirer_id limit 1',
  );
  busiest = globalId('Company', Number((counted as unknown as { rows: { id: number }[] }).rows[0]!.id));
  context = {
    db,
    auth: undefined as never,
    viewer: null,
    requestId: 'compiled-reads-test',
    logger: t.app.logger,
    request: new Request('http://localhost/graphql'),
    clientIp: null,
    responseCookies: [],
    live: undefined as never,
  };
});

afterAll(() => t?.close());

async function bothWays(
  query: string,
  variables: Record<string, unknown> = {},
  viewer: Viewer | null = null,
) {
  const document = parse(query);
  const args = { schema, document, variableValues: variables, contextValue: { ...context, viewer } };
  const compiled = await executeCompiled(args);
  const resolved = (await execute({
    ...args,
    contextValue: { ...context, viewer, requestId: 'resolved' },
  })) as ExecutionResult;
  return { compiled, resolved };
}

const node = 'status price { amount currency } announcedOn closedOn acquirer { name } target { name }';

const served: [string, string, Record<string, unknown>?][] = [
  [
    'the benchmark list',
    `{ acquisitions(first: 50, orderBy: {field: ANNOUNCED_ON, direction: DESC}) { edges { node { ${node} } } } }`,
  ],
  [
    'a company with its deals',
    `query($id: ID!) { company(id: $id) { name acquisitions(first: 20) { edges { node { status price { amount currency } announcedOn target { name } } } } } }`,
    { id: 'BUSIEST' },
  ],
  [
    'every field of an acquisition, default page',
    '{ acquisitions { totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { id __typename status notes createdAt updatedAt announcedOn closedOn price { __typename amount currency } acquirer { id __typename name website industry country foundedYear description createdAt updatedAt } target { id } } __typename } __typename } }',
  ],
  ...(['ANNOUNCED_ON', 'PRICE', 'CREATED_AT'] as const).flatMap((field) =>
    (['ASC', 'DESC'] as const).map((direction): [string, string] => [
      `ordered by ${field} ${direction}`,
      `{ acquisitions(first: 100, orderBy: {field: ${field}, direction: ${direction}}) { pageInfo { hasNextPage } edges { node { id announcedOn price { amount } createdAt } } } }`,
    ]),
  ),
  [
    'filtered every way, with totals',
    `query($f: AcquisitionFilter) { acquisitions(first: 5, filter: $f) { totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { id ${node} } } } }`,
    {
      f: {
        status: ['COMPLETED', 'PENDING', 'ANNOUNCED'],
        announcedFrom: '2005-01-01',
        announcedTo: '2024-12-31',
        minPrice: '1000000',
        maxPrice: '90000000000.5',
        currency: 'usd',
      },
    },
  ],
  [
    'filtered by the parties',
    `query($a: ID, $t: ID) { byBuyer: acquisitions(filter: {acquirerId: $a}) { totalCount edges { node { id } } } byTarget: acquisitions(filter: {targetId: $t}) { totalCount edges { node { id } } } }`,
    { a: 'BUSIEST', t: 'ODD' },
  ],
  [
    'a filter nothing matches',
    '{ acquisitions(filter: {status: [CANCELLED], currency: "JPY", minPrice: "99999999999"}) { totalCount pageInfo { hasNextPage } edges { node { id } } } }',
  ],
  [
    'an empty status list',
    '{ acquisitions(first: 3, filter: {status: []}) { totalCount edges { node { id } } } }',
  ],
  [
    'a zero-sized page',
    '{ acquisitions(first: 0) { totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { id } } } }',
  ],
  ['only the total', '{ acquisitions(filter: {status: [RUMORED]}) { totalCount } }'],
  [
    'companies by name, searched',
    '{ companies(first: 100, search: "  an ") { totalCount pageInfo { hasNextPage } edges { node { id name country } } } }',
  ],
  [
    'companies searched for LIKE wildcards',
    '{ a: companies(search: "100%_") { totalCount edges { node { name } } } b: companies(search: "%") { totalCount } }',
  ],
  [
    'companies by creation, descending',
    '{ companies(first: 7, orderBy: {field: CREATED_AT, direction: DESC}) { edges { node { name createdAt } } } }',
  ],
  [
    'companies by name, descending, with both related lists',
    `{ companies(first: 10, orderBy: {field: NAME, direction: DESC}) { edges { node { name
        acquisitions(first: 2, orderBy: {field: PRICE, direction: ASC}) { totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { id price { amount } } } }
        acquiredBy { totalCount edges { node { acquirer { name acquiredBy(first: 1) { totalCount } } } } }
      } } } }`,
  ],
  [
    'one company and one acquisition, and ones that do not exist',
    `query($id: ID!, $gone: ID!, $deal: ID!, $noDeal: ID!) {
      company(id: $id) { id name website description foundedYear acquiredBy(first: 100) { edges { node { notes price { amount currency } } } } }
      missing: company(id: $gone) { name }
      acquisition(id: $deal) { id notes closedOn target { name } }
      noDeal: acquisition(id: $noDeal) { id }
    }`,
    {
      id: 'ODD',
      gone: globalId('Company', 999_999),
      deal: globalId('Acquisition', 3),
      noDeal: globalId('Acquisition', 999_999),
    },
  ],
  [
    'fragments, inline fragments, aliases, directives and merged fields',
    `query($yes: Boolean!, $no: Boolean!, $id: ID!) {
      __typename
      list: acquisitions(first: 4) { ...Page }
      again: acquisitions(first: 4) @include(if: $yes) { edges { node { ... on Acquisition { status } acquirer { name } } } }
      never: acquisitions(first: 4) @skip(if: $yes) { totalCount }
      company(id: $id) { ... on Node { id } ...CompanyName name n: name skipped: name @include(if: $no) }
    }
    fragment Page on AcquisitionConnection { edges { node { id acquirer { name } acquirer { id name } ... on Acquisition { target { name } } } } pageInfo { hasNextPage } }
    fragment CompanyName on Company { name industry }`,
    { yes: true, no: false, id: 'BUSIEST' },
  ],
];

served.push(
  [
    'cursors of every edge and of the page, every ordering',
    `{ ${(['ANNOUNCED_ON', 'PRICE', 'CREATED_AT'] as const)
      .flatMap((field) =>
        (['ASC', 'DESC'] as const).map(
          (direction) =>
            `${field}_${direction}: acquisitions(first: 4, orderBy: {field: ${field}, direction: ${direction}}) { pageInfo { startCursor endCursor hasNextPage hasPreviousPage } edges { cursor } }`,
        ),
      )
      .join(' ')}
      byName: companies(first: 3, search: "o") { pageInfo { endCursor } edges { cursor node { name } } }
      byCreation: companies(last: 3, orderBy: {field: CREATED_AT, direction: DESC}) { pageInfo { startCursor endCursor hasNextPage hasPreviousPage } edges { cursor } } }`,
  ],
  [
    'the last page, nested lists from the end, and empty pages',
    `query($id: ID!) { acquisitions(last: 5, orderBy: {field: PRICE, direction: ASC}) { pageInfo { hasNextPage hasPreviousPage startCursor } edges { node { id price { amount } } } }
      company(id: $id) { acquisitions(last: 2) { pageInfo { hasPreviousPage endCursor } edges { cursor node { id } } } acquiredBy(last: 0) { pageInfo { hasPreviousPage hasNextPage startCursor } edges { cursor } } }
      none: acquisitions(first: 3, filter: {status: [CANCELLED], minPrice: "999999999999999999.99"}) { pageInfo { hasNextPage startCursor endCursor } edges { cursor } } }`,
    { id: 'BUSIEST' },
  ],
  [
    'node(id:) of each public type, with fragments, and of ids that match nothing',
    `query($c: ID!, $a: ID!, $gone: ID!) {
      c: node(id: $c) { __typename id ... on Company { name acquisitions(first: 2) { totalCount } } ... on Acquisition { status } }
      a: node(id: $a) { id ...Deal }
      gone: node(id: $gone) { id }
      missing: node(id: "${globalId('Acquisition', 999_999)}") { __typename }
    }
    fragment Deal on Acquisition { status acquirer { name } }`,
    { c: 'ODD', a: globalId('Acquisition', 3), gone: globalId('Company', 999_999) },
  ],
  [
    'a connection selecting no aggregate (regression: one row per page row)',
    '{ a: acquisitions { pageInfo { hasPreviousPage } } b: acquisitions(filter: {minPrice: "999999999999999999.99"}) { pageInfo { hasPreviousPage } } c: companies { pageInfo { __typename } } d: acquisitions(first: 2) { __typename } }',
  ],
);

const withFixtures = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value)
      .replaceAll('"BUSIEST"', JSON.stringify(busiest))
      .replaceAll('"ODD"', JSON.stringify(oddId)),
  );

describe('compiled reads answer exactly as the resolvers do', () => {
  for (const [title, query, variables] of served) {
    it(title, async () => {
      const { compiled, resolved } = await bothWays(
        withFixtures(query) as string,
        withFixtures(variables ?? {}) as Record<string, unknown>,
      );
      expect(resolved.errors).toBeUndefined();
      expect(compiled, JSON.stringify(t.logs.filter((l) => l.level === 50).at(-1))).toBeDefined();
      expect(JSON.stringify(compiled)).toBe(JSON.stringify(resolved));
    });
  }

  it('the viewer’s own account, in the statement of a query that reads more', async () => {
    const query =
      '{ me { __typename id name email role createdAt updatedAt } acquisitions(first: 1) { totalCount } }';
    const viewer: Viewer = { userId: 2, role: 'admin', sessionId: 'not-looked-up' };
    const { compiled, resolved } = await bothWays(query, {}, viewer);
    expect(resolved.errors).toBeUndefined();
    expect(JSON.stringify(compiled)).toBe(JSON.stringify(resolved));
    expect((compiled?.data as { me: { id: string } }).me.id).toBe(globalId('User', 2));
  });

  it('`me` alone from the account the credential check read, with no statement; a guest’s is null', async () => {
    const query = `query($more: Boolean!) { self: me { __typename id name email role createdAt updatedAt n: name }
      me @include(if: $more) { id } guest: __typename }`;
    const [row] = await t.app.database.db.select(accountColumns).from(users).limit(1);
    const viewer: Viewer = { userId: row!.id, role: row!.role, sessionId: 'not-looked-up', account: row! };
    for (const [who, more] of [
      [viewer, true],
      [viewer, false],
      [null, true],
    ] as const) {
      const document = parse(query);
      const args = { schema, document, variableValues: { more }, contextValue: { ...context, viewer: who } };
      const before = t.queries.length;
      const compiled = await executeCompiled(args);
      expect(t.queries.length - before).toBe(0);
      const resolved = (await execute(args)) as ExecutionResult;
      expect(resolved.errors).toBeUndefined();
      expect(JSON.stringify(compiled)).toBe(JSON.stringify(resolved));
    }
  });

  it('the lists checked above are not empty', async () => {
    const { resolved } = await bothWays(
      '{ acquisitions(first: 100) { edges { node { id } } } companies { totalCount } }',
    );
    const data = resolved.data as { acquisitions: { edges: unknown[] }; companies: { totalCount: number } };
    expect(data.acquisitions.edges).toHaveLength(100);
    expect(data.companies.totalCount).toBe(41);
  });
});

describe('page walks: every page of every list, forwards and backwards, the same both ways', () => {
  interface PageAnswer {
    pageInfo: {
      hasNextPage: boolean;
      hasPreviousPage: boolean;
      startCursor: string | null;
      endCursor: string | null;
    };
    edges: { cursor: string; node: { id: string } }[];
  }
  const page = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } }';
  const lists: [string, (args: string) => string, (data: Record<string, unknown>) => PageAnswer][] = [
    ...(['ANNOUNCED_ON', 'PRICE', 'CREATED_AT'] as const).flatMap((field) =>
      (['ASC', 'DESC'] as const).map(
        (direction): [string, (args: string) => string, (data: Record<string, unknown>) => PageAnswer] => [
          `acquisitions by ${field} ${direction}`,
          (args) =>
            `query($c: String) { list: acquisitions(${args}, orderBy: {field: ${field}, direction: ${direction}}) { ${page} } }`,
          (data) => data.list as PageAnswer,
        ],
      ),
    ),
    ...(['NAME', 'CREATED_AT'] as const).flatMap((field) =>
      (['ASC', 'DESC'] as const).map(
        (direction): [string, (args: string) => string, (data: Record<string, unknown>) => PageAnswer] => [
          `companies by ${field} ${direction}`,
          (args) =>
            `query($c: String) { list: companies(${args}, orderBy: {field: ${field}, direction: ${direction}}) { ${page} } }`,
          (data) => data.list as PageAnswer,
        ],
      ),
    ),
    [
      'a company’s deals by PRICE DESC',
      (args) =>
        `query($c: String, $id: ID!) { company(id: $id) { list: acquisitions(${args}, orderBy: {field: PRICE, direction: DESC}) { ${page} } } }`,
      (data) => (data.company as Record<string, unknown>).list as PageAnswer,
    ],
  ];

  for (const [title, query, pageOf] of lists) {
    it(title, async () => {
      const visited: Record<'forwards' | 'backwards', string[]> = { forwards: [], backwards: [] };
      for (const [way, args] of [
        ['forwards', 'first: 7, after: $c'],
        ['backwards', 'last: 7, before: $c'],
      ] as const) {
        const document = query(args);
        let cursor: string | null = null;
        for (let pages = 0; pages < 100; pages++) {
          const { compiled, resolved } = await bothWays(document, { c: cursor, id: busiest });
          expect(resolved.errors).toBeUndefined();
          expect(compiled, `${way}, page ${pages + 1}`).toBeDefined();
          expect(JSON.stringify(compiled)).toBe(JSON.stringify(resolved));
          const answer = pageOf(resolved.data as Record<string, unknown>);
          const ids = answer.edges.map((edge) => edge.node.id);
          visited[way].push(...(way === 'forwards' ? ids : ids.reverse()));
          const more = way === 'forwards' ? answer.pageInfo.hasNextPage : answer.pageInfo.hasPreviousPage;
          if (!more) break;
          cursor = way === 'forwards' ? answer.pageInfo.endCursor : answer.pageInfo.startCursor;
        }
      }
      expect(new Set(visited.forwards).size).toBe(visited.forwards.length);
      expect(visited.backwards).toEqual([...visited.forwards].reverse());
    });
  }
});

it('nested price cursors keep every digit: one deal a page, none twice (both paths)', async () => {
  const query = `query($id: ID!, $c: String) { company(id: $id) { acquisitions(first: 1, after: $c, orderBy: {field: PRICE, direction: DESC}) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id price { amount } } } } } }`;
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 10; pages++) {
    const { compiled, resolved } = await bothWays(query, { id: oddId, c: cursor });
    expect(JSON.stringify(compiled)).toBe(JSON.stringify(resolved));
    type Deals = { company: { acquisitions: PageOfDeals } };
    type PageOfDeals = {
      pageInfo: { hasNextPage: boolean; endCursor: string };
      edges: { node: { id: string } }[];
    };
    const deals = (resolved.data as Deals).company.acquisitions;
    seen.push(...deals.edges.map((edge) => edge.node.id));
    if (!deals.pageInfo.hasNextPage) break;
    cursor = deals.pageInfo.endCursor;
  }
  expect(seen).toHaveLength(4);
  expect(new Set(seen).size).toBe(4);
});

describe('one statement per shape, its parameters bound from each request', () => {
  /** One parsed document answered with each set of variables in turn, compiled and resolved. */
  async function inTurn(
    query: string,
    runs: { variables?: Record<string, unknown>; viewer?: Viewer | null }[],
  ) {
    const document = parse(query);
    const answers = [];
    for (const { variables = {}, viewer = null } of runs) {
      const args = { schema, document, variableValues: withFixtures(variables) as Record<string, unknown> };
      const compiled = await executeCompiled({ ...args, contextValue: { ...context, viewer } });
      const resolved = (await execute({ ...args, contextValue: { ...context, viewer } })) as ExecutionResult;
      answers.push({ compiled, resolved });
    }
    return answers;
  }

  it('ids and page sizes differ per request; the answers follow them', async () => {
    const query = `query($id: ID!, $n: Int) { company(id: $id) { name acquisitions(first: $n) { pageInfo { hasNextPage } edges { node { id } } } } }`;
    const answers = await inTurn(query, [
      { variables: { id: 'BUSIEST', n: 2 } },
      { variables: { id: 'ODD', n: 5 } },
      { variables: { id: 'BUSIEST' } },
      { variables: { id: globalId('Company', 999_999), n: 1 } },
      { variables: { id: 'BUSIEST', n: 0 } },
    ]);
    for (const { compiled, resolved } of answers) {
      expect(resolved.errors).toBeUndefined();
      expect(JSON.stringify(compiled)).toBe(JSON.stringify(resolved));
    }
    const edges = answers.map(
      ({ compiled }) =>
        (compiled?.data as { company: { acquisitions: { edges: unknown[] } } | null }).company?.acquisitions
          .edges.length,
    );
    // No size: the default page of 20.
    expect(edges).toEqual([2, 4, 20, undefined, 0]);
  });

  it('a value of the same shape the resolvers refuse still reaches them', async () => {
    const query = 'query($id: ID!, $n: Int) { company(id: $id) { acquisitions(first: $n) { totalCount } } }';
    const [valid, badId, tooMany, again] = await inTurn(query, [
      { variables: { id: 'BUSIEST', n: 3 } },
      { variables: { id: 'nope', n: 3 } },
      { variables: { id: 'BUSIEST', n: 101 } },
      { variables: { id: 'ODD', n: 3 } },
    ]);
    expect(valid!.compiled).toBeDefined();
    expect(badId!.compiled).toBeUndefined();
    expect(badId!.resolved.errors?.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(tooMany!.compiled).toBeUndefined();
    expect(tooMany!.resolved.errors?.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(again!.compiled)).toBe(JSON.stringify(again!.resolved));
  });

  it('variables that change the text (order, filter, directives, the viewer) each get their own', async () => {
    const query = `query($order: AcquisitionOrder, $f: AcquisitionFilter, $more: Boolean!) {
      acquisitions(first: 3, orderBy: $order, filter: $f) { edges { node { id price @include(if: $more) { amount } } } }
      me { id }
    }`;
    const viewer: Viewer = { userId: 1, role: 'user', sessionId: 'not-looked-up' };
    const answers = await inTurn(query, [
      { variables: { order: { field: 'PRICE', direction: 'ASC' }, more: true }, viewer },
      { variables: { order: { field: 'PRICE', direction: 'DESC' }, more: true }, viewer },
      { variables: { order: { field: 'PRICE', direction: 'DESC' }, more: false } },
      { variables: { f: { status: ['RUMORED'] }, more: false }, viewer },
      { variables: { f: { acquirerId: 'ODD' }, more: true } },
    ]);
    for (const { compiled, resolved } of answers) {
      expect(resolved.errors).toBeUndefined();
      expect(compiled).toBeDefined();
      expect(JSON.stringify(compiled)).toBe(JSON.stringify(resolved));
    }
    const ids = answers.map(({ compiled }) => JSON.stringify(compiled?.data));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shaping variables: all but those given whole to page arguments or a lookup’s id', () => {
    const shaping = (query: string) => variableRoles(schema, parse(query)).shaping.sort();
    expect(
      shaping(`query($id: ID!, $n: Int, $o: AcquisitionOrder, $x: Boolean!, $c: ID) {
        company(id: $id) { acquisitions(first: $n, orderBy: $o) @include(if: $x) { totalCount } }
        acquisitions(filter: {acquirerId: $c}) { totalCount }
      }`),
    ).toEqual(['c', 'o', 'x']);
    expect(
      shaping(
        'query($n: Int) { acquisitions(first: $n) { ...P } } fragment P on AcquisitionConnection { edges @skip(if: $n) { cursor } }',
      ),
    ).toEqual(['n']);
    expect(shaping('query($id: ID!) { node(id: $id) { id } user(id: $id) { id } }')).toEqual(['id']);
  });
});

describe('what the compiled path leaves to the resolvers', () => {
  const declined: [string, string][] = [
    ['a cursor that is not one', '{ acquisitions(first: 2, after: "abc") { edges { node { id } } } }'],
    [
      'a cursor of another ordering',
      `{ companies(first: 2, orderBy: {field: CREATED_AT, direction: ASC}, after: "${Buffer.from('DC:T:["N:5","N:3"]').toString('base64')}") { edges { node { id } } } }`,
    ],
    ['first and last together', '{ acquisitions(first: 2, last: 2) { edges { node { id } } } }'],
    ['an admin-only field', '{ acquisitions { edges { node { createdBy { name } } } } }'],
    ['another account', `{ user(id: "${globalId('User', 1)}") { id } }`],
    ['node(id:) of an account', `{ node(id: "${globalId('User', 1)}") { id } }`],
    ['node(id:) of an API key', `{ node(id: "${globalId('ApiKey', 1)}") { id } }`],
    ['node(id:) malformed', `{ node(id: "${globalId('Company', 0)}") { id } }`],
    ['a malformed id', '{ company(id: "nope") { name } }'],
    ['an id of another type', `{ company(id: "${globalId('Acquisition', 1)}") { name } }`],
    ['an oversized page', '{ acquisitions(first: 101) { totalCount } }'],
    ['a filter id that is not one', '{ acquisitions(filter: {acquirerId: "nope"}) { totalCount } }'],
    ['a price that is not one', '{ acquisitions(filter: {minPrice: "-1"}) { totalCount } }'],
    ['a currency that is not one', '{ acquisitions(filter: {currency: "XYZ"}) { totalCount } }'],
    ['a search that is too long', `{ companies(search: "${'x'.repeat(201)}") { totalCount } }`],
    ['introspection', '{ __schema { queryType { name } } }'],
    ['a mutation', 'mutation { signOut }'],
    [
      'nothing from the database',
      `{ __typename company(id: "${globalId('Company', 1)}") @skip(if: true) { name } }`,
    ],
  ];
  for (const [title, query] of declined) {
    it(title, async () => {
      const compiled = await executeCompiled({
        schema,
        document: parse(query),
        contextValue: context,
      });
      expect(compiled).toBeUndefined();
    });
  }

  it('still answers declined requests with the resolvers’ codes', async () => {
    expect(codesOf(await t.gql('{ company(id: "nope") { name } }'))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await t.gql('{ acquisitions(first: 101) { totalCount } }'))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await t.gql('{ acquisitions(filter: {currency: "XYZ"}) { totalCount } }'))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});

describe('over HTTP', () => {
  it('answers a nested read in one statement that builds the JSON in Postgres', async () => {
    const { response, statements } = await withStatements<{ company: { name: string } }>(
      t,
      'query($id: ID!) { company(id: $id) { name acquisitions(first: 5) { totalCount edges { node { target { name } } } } } }',
      { id: busiest },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.company.name).toEqual(expect.any(String));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^select json_build_object\('company', /);
  });

  it('answers `me` with the statement that checks the token, and no other', async () => {
    const account = await signUp(t);
    const { response, statements } = await withStatements<{ me: { id: string; email: string } }>(
      t,
      '{ me { id email role } }',
      {},
      account.headers,
    );
    expect(response.body).toEqual({ data: { me: { id: account.id, email: account.email, role: 'USER' } } });
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/from "sessions"/);
  });

  it('sends no statement for a query that reads no table', async () => {
    const { response, statements } = await withStatements(t, '{ __typename }');
    expect(response.body).toEqual({ data: { __typename: 'Query' } });
    expect(statements).toHaveLength(0);
  });

  it('writes the JSON text as Postgres built it, never parsed and re-serialized', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ acquisitions(first: 2) { edges { node { status } } } }' }),
    });
    const text = await response.text();
    expect(response.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    // Postgres's spacing (`"key" : value`) shows the text went out untouched.
    expect(text).toMatch(/^\{"data":\{"acquisitions" : \{"edges" : \[/);
    expect(
      (JSON.parse(text) as { data: { acquisitions: { edges: unknown[] } } }).data.acquisitions.edges,
    ).toHaveLength(2);
  });

  it('is switched off by COMPILED_READS=false: the resolvers answer the same', async () => {
    const plain = await startTestApp({ RATE_LIMIT: 'false', COMPILED_READS: 'false' });
    try {
      const { response, statements } = await withStatements(
        plain,
        '{ acquisitions(first: 1) { totalCount } }',
      );
      expect(response.body).toEqual({ data: { acquisitions: { totalCount: 0 } } });
      expect(statements).toHaveLength(1);
      expect(statements[0]).not.toMatch(/json_build_object/);
    } finally {
      await plain.close();
    }
  });
});
