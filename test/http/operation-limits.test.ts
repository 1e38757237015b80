import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPageSize } from '../../src/graphql/connections.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app.js';

/**
 * The default operation limits (GRAPHQL_MAX_*) pass what clients really send and refuse
 * hostile documents before anything runs.
 */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT: 'off' });
});

afterAll(async () => {
  await t?.close();
});

const limitMessage = /limit of \d+ exceeded/i;

/** Sends `query`, expecting `limit` to refuse it before any SQL statement ran. */
async function expectRefused(
  limit: RegExp,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse> {
  const statementsBefore = t.queries.length;
  const response = await t.gql(query, variables);
  expect(response.body.data ?? undefined).toBeUndefined();
  expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(response.body.errors?.[0]?.message).toMatch(limit);
  // A limit, not a syntax error: the document is well-formed.
  expect(response.body.errors?.[0]?.message).not.toMatch(/Syntax Error/);
  expect(t.queries.length).toBe(statementsBefore);
  return response;
}

/** `(first: n)`, or nothing for null: the connection's default page. */
const pageArgument = (pageSize: number | string | null) => (pageSize === null ? '' : `(first: ${pageSize})`);

/**
 * A page of companies, each with a page of its acquisitions and their targets, each with
 * a page of its own acquirers, and so on: one connection hop per page size after the first.
 */
function nestedCompanies(pageSizes: (number | string | null)[]): string {
  const [first = null, ...hops] = pageSizes;
  let selection = 'id name';
  hops.reverse().forEach((pageSize, i) => {
    const [connection, company] = i % 2 === 0 ? ['acquiredBy', 'acquirer'] : ['acquisitions', 'target'];
    selection = `id name ${connection}${pageArgument(pageSize)} { totalCount edges { node { id status ${company} { ${selection} } } } }`;
  });
  return `companies${pageArgument(first)} { edges { node { ${selection} } } }`;
}

/**
 * The attack pass's query: 15 aliases of a full page of one buyer's deals, each deal's buyer
 * with its deals, and their buyers' deals again. The nested connections take `pageSize`.
 */
function buyersOfBuyers(pageSize: number | null): string {
  const acquirerId = Buffer.from('Company:1').toString('base64');
  const deals = `acquisitions${pageArgument(pageSize)}`;
  const alias = (i: number) =>
    `a${i}: acquisitions(first: 100, filter: { acquirerId: "${acquirerId}" }) { edges { node {
      acquirer { ${deals} { edges { node { acquirer { ${deals} { edges { node { target { name } } } } } } } } }
    } } }`;
  return `{ ${Array.from({ length: 15 }, (_, i) => alias(i)).join(' ')} }`;
}

describe('realistic operations pass', () => {
  const folder = join(import.meta.dirname, '../../schema/operations');
  const documents = readdirSync(folder)
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => parse(readFileSync(join(folder, file), 'utf8')));
  const fragments = documents.flatMap((d) =>
    d.definitions.filter((def) => def.kind === Kind.FRAGMENT_DEFINITION),
  );
  const operations = documents.flatMap((d) =>
    d.definitions.flatMap((def) => (def.kind === Kind.OPERATION_DEFINITION && def.name ? [def] : [])),
  );

  it.each(operations.map((operation) => [operation.name?.value, operation] as const))(
    'schema/operations: %s',
    async (_name, operation) => {
      // Variables are left out: coercing them fails after the limits had their say, so
      // nothing runs, and no error may come from a limit.
      const query = [operation, ...fragments].map((definition) => print(definition)).join('\n');
      const { body } = await t.gql(query);
      for (const error of body.errors ?? []) expect(error.message).not.toMatch(limitMessage);
    },
  );

  it('20 companies × 10 acquisitions × each target’s 5 acquirers', async () => {
    const { body } = await t.gql(`{ ${nestedCompanies([20, 10, 5])} }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toHaveProperty('companies.edges');
  });

  it('a full page of acquisitions with both companies', async () => {
    const { body } = await t.gql(`{
      acquisitions(first: 100) {
        totalCount
        edges { cursor node {
          id status announcedOn closedOn notes createdAt updatedAt price { amount currency }
          acquirer { id name website industry country foundedYear description }
          target { id name website industry country foundedYear description }
        } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }`);
    expect(body.errors).toBeUndefined();
  });
});

describe('hostile operations are refused before they run', () => {
  it('too deep', async () => {
    await expectRefused(/depth limit/, `{ ${nestedCompanies([1, 1, 1, 1, 1])} }`);
  });

  it('too costly: pages nested in pages', async () => {
    await expectRefused(/Cost limit/, `{ ${nestedCompanies([100, 100, 100])} }`);
  });

  it('too costly with the page sizes passed as variables', async () => {
    const query = `query Pages($n: Int) { ${nestedCompanies(['$n', '$n', '$n'])} }`;
    await expectRefused(/Cost limit/, query, { n: 100 });
    // The same document with small pages is fine.
    expect((await t.gql(query, { n: 2 })).body.errors).toBeUndefined();
  });

  it('prices a repeated document with the page sizes each request sends', async () => {
    const query = `query Pages($n: Int) { ${nestedCompanies(['$n', '$n', '$n'])} }`;
    // Verdicts are cached per document and page sizes: neither may answer for the other.
    for (const n of [2, 100, 2, 100]) {
      if (n === 100) await expectRefused(/Cost limit/, query, { n });
      else expect((await t.gql(query, { n })).body.errors).toBeUndefined();
    }
  });

  it('prices a page size left to its declared default, every time it is sent', async () => {
    const query = `query Pages($n: Int = 100) { ${nestedCompanies(['$n', '$n', '$n'])} }`;
    await expectRefused(/Cost limit/, query);
    await expectRefused(/Cost limit/, query);
    expect((await t.gql(query, { n: 2 })).body.errors).toBeUndefined();
  });

  it('prices a connection without first/last at the default page it serves, nested or not', async () => {
    // Priced as one row each, these cost 37,500 and 27,308 and ran.
    const nested = await expectRefused(/Cost limit/, buyersOfBuyers(null));
    const root = await expectRefused(/Cost limit/, `{ ${nestedCompanies([null, 100, 20])} }`);
    // Exactly what the same documents cost with the default page written out.
    const written = await expectRefused(/Cost limit/, buyersOfBuyers(defaultPageSize));
    expect(nested.body.errors?.[0]?.extensions).toMatchObject({ cost: 6_252_000, maxCost: 50_000 });
    expect(written.body.errors?.[0]?.extensions).toEqual(nested.body.errors?.[0]?.extensions);
    expect(root.body.errors?.[0]?.extensions?.cost).toBe(29_409 * defaultPageSize);
  });

  it('prices a page-size variable that is not sent, or sent as null, at the default page', async () => {
    const query = `query Pages($n: Int) { ${nestedCompanies(['$n', 100, 20])} }`;
    for (const variables of [undefined, {}, { n: null }]) {
      const { body } = await expectRefused(/Cost limit/, query, variables);
      expect(body.errors?.[0]?.extensions?.cost).toBe(29_409 * defaultPageSize);
    }
    await expectRefused(/Cost limit/, `query Pages($n: Int = null) { ${nestedCompanies(['$n', 100, 20])} }`);
    expect((await t.gql(query, { n: 1 })).body.errors).toBeUndefined();
  });

  it('prices long texts by the longest they can be: a page of notes and descriptions weighs more', async () => {
    const deals = (fields: string) => `{ acquisitions(first: 100) { edges { node { id ${fields} } } } }`;
    const ids = await t.gql(deals(''));
    expect(ids.body.errors).toBeUndefined();
    // 100 × 15 aliases of 10,000-character notes answered 21.5 MB at one unit a value.
    const aliased = Array.from(
      { length: 15 },
      (_, i) => `a${i}: acquisitions(first: 100) { edges { node { notes target { description } } } }`,
    );
    const { body } = await expectRefused(/Cost limit/, `{ ${aliased.join(' ')} }`);
    // Each of 100 rows: the connection, edge, node and target objects (2 each), notes 100
    // and description 50 (a unit per 100 characters they may hold).
    expect(body.errors?.[0]?.extensions?.cost).toBe(15 * 100 * (2 + 2 + 2 + 100 + 2 + 50));
  });

  it('says what the limit is and what the operation costs, and not as a syntax error', async () => {
    const { body } = await expectRefused(/Cost limit/, buyersOfBuyers(20));
    expect(body.errors?.[0]?.message).toMatch(
      /^Cost limit of 50000 exceeded: this operation costs 6252000\b/,
    );
    expect(body.errors?.[0]?.message).not.toMatch(/syntax/i);
  });

  it('too many aliases', async () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: companies(first: 1) { totalCount }`);
    await expectRefused(/Aliases limit/, `{ ${aliases.join(' ')} }`);
  });

  it('aliases too long: each is repeated on every row of the answer', async () => {
    const alias = 'a'.repeat(65);
    await expectRefused(
      /Alias length limit of 64 exceeded/,
      `{ acquisitions(first: 100) { edges { node { ${alias}: id } } } }`,
    );
    const { body } = await t.gql(`{ acquisitions(first: 1) { edges { node { ${'a'.repeat(64)}: id } } } }`);
    expect(body.errors).toBeUndefined();
  });

  it('too many directives', async () => {
    await expectRefused(/Directives limit/, `{ me { id ${'@include(if: true) '.repeat(50)} } }`);
  });

  it.each([
    [
      'list literals',
      `{ acquisitions(filter: { status: ${'['.repeat(20_000)}${']'.repeat(20_000)} }) { totalCount } }`,
    ],
    ['input objects', `{ acquisitions(filter: ${'{ a: '.repeat(600)}1${' }'.repeat(600)}) { totalCount } }`],
    ['selection sets', `{ ${'me { '.repeat(900)}id${' }'.repeat(900)} }`],
  ])('nested too deep to parse safely: %s', async (_what, query) => {
    const logged = t.logs.length;
    const { status } = await expectRefused(/Nesting limit of 40 exceeded/, query);
    expect([200, 400]).toContain(status);
    // Refused, not crashed: nothing was logged as a bug (a stack overflow was).
    expect(t.logs.slice(logged).filter((line) => line.level === 50)).toEqual([]);
  });

  it('nesting within the limit is left to the depth limit and validation', async () => {
    const { body } = await t.gql(
      `{ acquisitions(filter: { status: ${'['.repeat(30)}COMPLETED${']'.repeat(30)} }) { totalCount } }`,
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).not.toMatch(limitMessage);
  });

  it('too many tokens', async () => {
    await expectRefused(/Token limit/, `{ me { ${'id '.repeat(5000)} } }`);
  });
});

describe('field suggestions outside production', () => {
  it('are given, for developers', async () => {
    const { body } = await t.gql('{ companie { totalCount } }');
    expect(body.errors?.[0]?.message).toMatch(/Did you mean "companies"/);
    const enumValue = await t.gql('{ companies(orderBy: { field: NAM, direction: ASC }) { totalCount } }');
    expect(enumValue.body.errors?.[0]?.message).toMatch(/Did you mean the enum value "NAME"\?$/);
  });
});
