/**
 * The two classes of disagreement the random differential run found between compiled reads
 * and the resolvers, each pinned by its smallest queries: answered both ways over the same
 * data (test/helpers/two-paths.ts) and compared as a client sees them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCurated } from '../../src/db/seed.js';
import { signUp } from '../helpers/accounts.js';
import { answerDifferences } from '../helpers/answer-diff.js';
import { serviceOf, startTwoPaths, type GraphQLRequest, type TwoPaths } from '../helpers/two-paths.js';

let paths: TwoPaths;
let signedIn: Record<string, string>;

beforeAll(async () => {
  paths = await startTwoPaths();
  await seedCurated(paths.database.db);
  signedIn = (await signUp(paths)).headers;
});

afterAll(() => paths?.close());

async function bothWays(request: GraphQLRequest) {
  const resolved = await paths.resolved(request);
  const compiled = await paths.compiled(request);
  return { compiled, resolved, differences: answerDifferences(compiled, resolved) };
}

describe('a connection whose selection has no aggregate (pageInfo or __typename alone)', () => {
  const queries = [
    // No row matches: the compiled path answered `"acquisitions": null`.
    '{ acquisitions(filter: {minPrice: "999999999999999999.99"}) { pageInfo { hasPreviousPage } } }',
    // totalCount is counted apart from the page: the connection was still null.
    '{ acquisitions(filter: {minPrice: "999999999999999999.99"}) { totalCount pageInfo { hasPreviousPage } } }',
    // Two rows or more: Postgres refused the compiled statement.
    '{ acquisitions { pageInfo { hasPreviousPage } } }',
    '{ acquisitions { pageInfo { __typename } } }',
    '{ acquisitions { __typename } }',
    '{ acquisitions(first: 0) { pageInfo { hasNextPage hasPreviousPage } } }',
    '{ companies(first: 1) { pageInfo { hasNextPage } } }',
    '{ companies(first: 2) { edges { node { name acquisitions { pageInfo { hasNextPage } } } } } }',
  ];
  for (const query of queries) {
    it(`agrees, in one compiled statement: ${query}`, async () => {
      const { compiled, resolved, differences } = await bothWays({ query });
      expect(resolved.body.errors).toBeUndefined();
      expect(differences, JSON.stringify({ compiled: compiled.body, resolved: resolved.body })).toEqual([]);
      expect(serviceOf(compiled, resolved)).toBe('one statement');
    });
  }
});

describe('@include/@skip whose `if` is null (`$v: Boolean = false` sent as null)', () => {
  const cases: [string, string, Record<string, string>?][] = [
    [
      'on a nested field',
      'query($v: Boolean = false) { acquisitions(first: 2) { edges { node { id @skip(if: $v) } } } }',
    ],
    [
      'on a root field',
      'query($v: Boolean = false) { acquisitions(first: 1) @include(if: $v) { totalCount } }',
    ],
    [
      'beside another root field',
      'query($v: Boolean = false) { companies(first: 1) { totalCount } acquisitions(first: 1) { totalCount @skip(if: $v) } }',
    ],
    [
      'under an empty list',
      'query($v: Boolean = false) { acquisitions(first: 0) { edges { node { id @skip(if: $v) } } } }',
    ],
    [
      'on a fragment spread',
      'query($v: Boolean = false) { acquisitions(first: 1) { ...P @include(if: $v) } } fragment P on AcquisitionConnection { totalCount }',
    ],
    [
      // Found by the 3,000-query run: the resolvers' Drizzle plugin reads this condition,
      // inside a fragment on User, for an Acquisition, and fails the field.
      'in a fragment for another type, under node(id:)',
      `query($v: Boolean = false) { node(id: "${Buffer.from('Acquisition:1').toString('base64')}") { id ... on User { ... on Node { ... on Acquisition { status @skip(if: $v) } } } } }`,
    ],
    ['under a guest’s me', 'query($v: Boolean = false) { me { id @skip(if: $v) } }'],
    ['under a signed-in viewer’s me', 'query($v: Boolean = false) { me { id @skip(if: $v) } }', {}],
  ];
  for (const [title, query, headers] of cases) {
    it(`agrees ${title}`, async () => {
      const { compiled, resolved, differences } = await bothWays({
        query,
        variables: { v: null },
        headers: headers && signedIn,
      });
      expect(differences, JSON.stringify({ compiled: compiled.body, resolved: resolved.body })).toEqual([]);
    });
  }
});

describe('page arguments the resolvers refuse, in a fragment for another type', () => {
  // Found by seed 3 of a 1,500-query run: the resolvers' Drizzle plugin plans the
  // connections of every fragment up front, whether or not it applies, and runs their checks.
  const deal = Buffer.from('Acquisition:1').toString('base64');
  const fragments = `fragment OnKey on ApiKey { ...OnNode }
    fragment OnNode on Node { ...OnDeal }
    fragment OnDeal on Acquisition { target { acquiredBy(first: $first, last: $last) { pageInfo { hasNextPage } } } }`;
  const query = `query($id: ID!, $first: Int, $last: Int) { node(id: $id) { id ...OnKey } } ${fragments}`;

  it('agrees when they are refused (first with last), as literals or variables', async () => {
    const literal = query
      .replace(', $first: Int, $last: Int', '')
      .replace('first: $first, last: $last', 'first: 2, last: 5');
    for (const request of [
      { query: literal, variables: { id: deal } },
      { query, variables: { id: deal, first: 2, last: 5 } },
    ]) {
      const { compiled, resolved, differences } = await bothWays(request);
      expect(resolved.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(differences, JSON.stringify({ compiled: compiled.body, resolved: resolved.body })).toEqual([]);
    }
  });

  it('is still compiled when they are accepted, and a later request of the shape is checked again', async () => {
    const accepted = await bothWays({ query, variables: { id: deal, first: 2 } });
    expect(accepted.differences).toEqual([]);
    expect(serviceOf(accepted.compiled, accepted.resolved)).toBe('one statement');
    const refused = await bothWays({ query, variables: { id: deal, first: 2, last: 5 } });
    expect(refused.differences, JSON.stringify(refused.compiled.body)).toEqual([]);
  });
});
