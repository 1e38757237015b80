/** Reading companies: pagination, search, ordering, a company's deals, one statement per request. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquisitions, companies } from '../../src/db/schema.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { codesOf, globalId, pageThrough, withStatements, type Page } from '../helpers/domain.js';

let t: TestApp;

interface CompanyRow {
  id: number;
  name: string;
  createdAt: Date;
}
interface DealRow {
  id: number;
  acquirerId: number;
  targetId: number;
  announcedOn: string | null;
}

let companyRows: CompanyRow[] = [];
let deals: DealRow[] = [];
/** The company with more deals than a page holds. */
let buyer: CompanyRow;

const names = [
  'alpha',
  'Beta',
  'gamma',
  'Delta',
  'epsilon',
  'Zeta',
  'eta',
  'Theta',
  'iota',
  'Kappa',
  'lambda',
  'Mu',
  'nu',
  'Xi',
  'omicron',
  'Pi',
  'rho',
  'Sigma',
  'tau',
  'Upsilon',
  '100% Juice',
  'Under_Score',
  'Back\\slash',
  'ALPHABET',
  'alphanumeric',
];

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT: 'false' });
  const db = t.app.database.db;
  // Two statements, so created_at has two groups of ties.
  companyRows = [
    ...(await db
      .insert(companies)
      .values(names.slice(0, 12).map((name) => ({ name })))
      .returning()),
    ...(await db
      .insert(companies)
      .values(names.slice(12).map((name) => ({ name })))
      .returning()),
  ];
  buyer = companyRows[0] as CompanyRow;
  const others = companyRows.slice(1);
  deals = await db
    .insert(acquisitions)
    .values(
      Array.from({ length: 140 }, (_, i) => {
        const acquirer = i < 110 ? buyer : (others[i % others.length] as CompanyRow);
        let target = others[(i * 7) % others.length] as CompanyRow;
        if (target.id === acquirer.id) target = others[(i * 7 + 1) % others.length] as CompanyRow;
        return {
          acquirerId: acquirer.id,
          targetId: target.id,
          status: 'completed' as const,
          announcedOn: i % 9 === 0 ? null : `20${10 + (i % 6)}-06-01`,
        };
      }),
    )
    .returning();
});
afterAll(() => t.close());

const companiesQuery = /* GraphQL */ `
  query Companies(
    $first: Int
    $after: String
    $last: Int
    $before: String
    $search: String
    $orderBy: CompanyOrder
  ) {
    companies(
      first: $first
      after: $after
      last: $last
      before: $before
      search: $search
      orderBy: $orderBy
    ) {
      totalCount
      edges {
        cursor
        node {
          id
          name
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`;
const selectCompanies = (data: Record<string, unknown>) => data.companies as Page;
const companyId = (row: { id: number }) => globalId('Company', row.id);

describe('companies', () => {
  const byName = (direction: 1 | -1) =>
    [...companyRows]
      .sort((a, b) => {
        const x = a.name.toLowerCase();
        const y = b.name.toLowerCase();
        return direction * (x < y ? -1 : x > y ? 1 : a.id - b.id);
      })
      .map(companyId);
  const byCreatedAt = (direction: 1 | -1) =>
    [...companyRows]
      .sort((a, b) => direction * (a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id))
      .map(companyId);

  const cases = [
    { orderBy: undefined, expected: () => byName(1) },
    { orderBy: { field: 'NAME', direction: 'ASC' }, expected: () => byName(1) },
    { orderBy: { field: 'NAME', direction: 'DESC' }, expected: () => byName(-1) },
    { orderBy: { field: 'CREATED_AT', direction: 'ASC' }, expected: () => byCreatedAt(1) },
    { orderBy: { field: 'CREATED_AT', direction: 'DESC' }, expected: () => byCreatedAt(-1) },
  ];
  for (const { orderBy, expected } of cases) {
    it(`pages through every company once by ${orderBy ? `${orderBy.field} ${orderBy.direction}` : 'default (NAME ASC)'}`, async () => {
      for (const size of [1, 4, 100]) {
        for (const backwards of [false, true]) {
          const found = await pageThrough(t, {
            query: companiesQuery,
            variables: { orderBy },
            select: selectCompanies,
            size,
            backwards,
          });
          expect(found).toEqual(expected());
        }
      }
    });
  }

  it('searches names case-insensitively, taking % and _ literally', async () => {
    const search = async (text: string) => {
      const { body } = await t.gql<{
        companies: { totalCount: number; edges: { node: { name: string } }[] };
      }>(companiesQuery, { search: text, first: 100 });
      const found = body.data?.companies.edges.map((e) => e.node.name) ?? [];
      expect(body.data?.companies.totalCount).toBe(found.length);
      return found;
    };
    expect(await search('ALPHA')).toEqual(['alpha', 'ALPHABET', 'alphanumeric']);
    expect(await search('  et ')).toEqual(['ALPHABET', 'Beta', 'eta', 'Theta', 'Zeta']);
    expect(await search('%')).toEqual(['100% Juice']);
    expect(await search('_')).toEqual(['Under_Score']);
    expect(await search('\\')).toEqual(['Back\\slash']);
    expect(await search('nothing like it')).toEqual([]);
  });

  it('company(id) is null for an unknown id and BAD_USER_INPUT for a malformed one', async () => {
    const query = 'query($id: ID!) { company(id: $id) { name } }';
    expect((await t.gql(query, { id: globalId('Company', 424242) })).body).toEqual({
      data: { company: null },
    });
    expect(codesOf(await t.gql(query, { id: 'Q29tcGFueQ==' }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await t.gql(query, { id: globalId('Acquisition', 1) }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe("a company's deals", () => {
  const dealsQuery = /* GraphQL */ `
    query Deals(
      $id: ID!
      $first: Int
      $after: String
      $last: Int
      $before: String
      $orderBy: AcquisitionOrder
    ) {
      company(id: $id) {
        acquisitions(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
          totalCount
          edges {
            cursor
            node {
              id
            }
          }
          pageInfo {
            hasNextPage
            hasPreviousPage
            startCursor
            endCursor
          }
        }
      }
    }
  `;
  const selectDeals = (data: Record<string, unknown>) =>
    (data.company as { acquisitions: Page }).acquisitions;
  const newestFirst = (list: DealRow[]) =>
    [...list]
      .sort((a, b) => {
        const x = a.announcedOn ?? '';
        const y = b.announcedOn ?? '';
        return x < y ? 1 : x > y ? -1 : b.id - a.id;
      })
      .map((d) => globalId('Acquisition', d.id));

  it('pages through a buyer’s acquisitions, newest first by default, both ways', async () => {
    const expected = newestFirst(deals.filter((d) => d.acquirerId === buyer.id));
    expect(expected).toHaveLength(110);
    for (const size of [1, 9, 100]) {
      for (const backwards of [false, true]) {
        const found = await pageThrough(t, {
          query: dealsQuery,
          variables: { id: companyId(buyer) },
          select: selectDeals,
          size,
          backwards,
        });
        expect(found).toEqual(expected);
      }
    }
  });

  it('takes an order, and lists deals as the target in acquiredBy', async () => {
    const { body } = await t.gql<{ company: { acquisitions: { edges: { node: { id: string } }[] } } }>(
      dealsQuery,
      {
        id: companyId(buyer),
        first: 3,
        orderBy: { field: 'CREATED_AT', direction: 'ASC' },
      },
    );
    const ownDeals = deals.filter((d) => d.acquirerId === buyer.id).sort((a, b) => a.id - b.id);
    expect(body.data?.company.acquisitions.edges.map((e) => e.node.id)).toEqual(
      ownDeals.slice(0, 3).map((d) => globalId('Acquisition', d.id)),
    );

    const target = companyRows[3] as CompanyRow;
    const acquiredBy = await t.gql<{
      company: {
        acquiredBy: { totalCount: number; edges: { node: { id: string; acquirer: { name: string } } }[] };
      };
    }>(
      'query($id: ID!) { company(id: $id) { acquiredBy(first: 100) { totalCount edges { node { id acquirer { name } } } } } }',
      {
        id: companyId(target),
      },
    );
    const expected = newestFirst(deals.filter((d) => d.targetId === target.id));
    expect(expected.length).toBeGreaterThan(0);
    expect(acquiredBy.body.data?.company.acquiredBy.edges.map((e) => e.node.id)).toEqual(expected);
    expect(acquiredBy.body.data?.company.acquiredBy.totalCount).toBe(expected.length);
  });

  it('refuses oversized pages and foreign cursors on nested connections with BAD_USER_INPUT', async () => {
    const foreign = [
      'nope',
      Buffer.from('DC:T:["S:acme corp","N:3"]').toString('base64'), // a company list's cursor
      Buffer.from('DC:T:["D:1700000000000","N:3"]').toString('base64'), // a creation-time cursor
      Buffer.from('DC:N:5').toString('base64'), // an account list's cursor
    ].map((after) => ({ first: 1, after }));
    for (const variables of [{ first: 101 }, { last: -1 }, ...foreign]) {
      const response = await t.gql(dealsQuery, { id: companyId(buyer), ...variables });
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('cursors of another list or ordering', () => {
  it('are BAD_USER_INPUT at the root, whatever their values', async () => {
    const query = `query($after: String, $field: CompanyOrderField!) {
      companies(first: 2, after: $after, orderBy: {field: $field, direction: ASC}) { edges { node { name } } } }`;
    for (const [field, after] of [
      // Numbers where a creation time belongs: the driver used to fail on them (500).
      ['CREATED_AT', 'DC:T:["N:5","N:3"]'],
      ['CREATED_AT', 'DC:T:["S:acme","N:3"]'],
      // A creation time where a name belongs, and a name cursor's prefix: once read as a name.
      ['NAME', 'DC:T:["D:1700000000000","N:3"]'],
      ['NAME', 'DC:S:acme'],
      ['NAME', 'DC:T:["S:acme\u0000","N:3"]'],
    ] as const) {
      const response = await t.gql(query, { field, after: Buffer.from(after).toString('base64') });
      expect(codesOf(response), after).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('one SQL statement per root field', () => {
  for (const first of [1, 100]) {
    it(`company(id) with ${first} acquisitions and each target`, async () => {
      const { response, statements } = await withStatements<{
        company: { name: string; acquisitions: { edges: { node: { target: { name: string } } }[] } };
      }>(
        t,
        `query($id: ID!, $first: Int!) {
          company(id: $id) {
            name
            acquisitions(first: $first) { edges { node { status announcedOn price { amount currency } target { name } } } }
          }
        }`,
        { id: companyId(buyer), first },
      );
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data?.company.acquisitions.edges).toHaveLength(first);
      expect(response.body.data?.company.acquisitions.edges.every((e) => e.node.target.name)).toBe(true);
      expect(statements).toHaveLength(1);
    });

    it(`companies(first: ${first}) with ten deals each way, each with the other company`, async () => {
      const { response, statements } = await withStatements<{ companies: { edges: unknown[] } }>(
        t,
        `query($first: Int!) {
          companies(first: $first) {
            totalCount
            edges { node {
              name
              acquisitions(first: 10) { edges { node { target { name } } } pageInfo { hasNextPage } }
              acquiredBy(first: 10) { edges { node { acquirer { name } } } }
            } }
          }
        }`,
        { first },
      );
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data?.companies.edges).toHaveLength(Math.min(first, companyRows.length));
      expect(statements).toHaveLength(1);
    });
  }

  it('a nested totalCount costs nothing when the page holds the whole list', async () => {
    const { response, statements } = await withStatements<{
      companies: { edges: { node: { acquiredBy: { totalCount: number } } }[] };
    }>(t, '{ companies(first: 100) { edges { node { acquiredBy(first: 100) { totalCount } } } } }');
    const counts = response.body.data?.companies.edges.map((e) => e.node.acquiredBy.totalCount);
    expect(counts?.reduce((a, b) => a + b, 0)).toBe(deals.length);
    expect(statements).toHaveLength(1);
  });

  // Compiled reads count in their one statement; an admin-only field leaves the request to
  // the resolvers, which need one more statement for all companies together.
  for (const [how, cursor, expected] of [
    ['compiled', '', 1],
    ['resolved', 'edges { node { createdBy { id } } }', 2],
  ] as const) {
    it(`a nested totalCount beyond the page, ${how}, costs ${expected} statement(s) in all`, async () => {
      const { response, statements } = await withStatements<{
        companies: { edges: { node: { name: string; acquisitions: { totalCount: number } } }[] };
      }>(
        t,
        `{ companies(first: 100) { edges { node { name acquisitions(first: 2) { totalCount ${cursor} } } } } }`,
      );
      const counts = new Map(
        response.body.data?.companies.edges.map((e) => [e.node.name, e.node.acquisitions.totalCount]),
      );
      for (const company of companyRows) {
        expect(counts.get(company.name)).toBe(deals.filter((d) => d.acquirerId === company.id).length);
      }
      expect(statements).toHaveLength(expected);
    });
  }
});
