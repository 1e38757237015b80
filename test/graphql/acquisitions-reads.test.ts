/** Reading acquisitions: pagination over ties, each order and filter, page limits, one statement per request. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquisitions, companies } from '../../src/db/schema.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { codesOf, fieldsOf, globalId, pageThrough, withStatements, type Page } from '../helpers/domain.js';

let t: TestApp;

interface Row {
  id: number;
  acquirerId: number;
  targetId: number;
  status: 'rumored' | 'announced' | 'pending' | 'completed' | 'cancelled';
  priceAmount: string | null;
  currency: string | null;
  announcedOn: string | null;
}

let companyIds: number[] = [];
let rows: Row[] = [];

const statuses = ['rumored', 'announced', 'pending', 'completed', 'cancelled'] as const;
const dates = ['2015-03-01', '2018-07-15', '2018-07-15', '2021-01-04', '2023-11-30'];
const prices = ['1000000.00', '2500000.50', '2500000.50', '99000000000.00'];

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT: 'false' });
  const db = t.app.database.db;
  const inserted = await db
    .insert(companies)
    .values(Array.from({ length: 12 }, (_, i) => ({ name: `Company ${String(i + 1).padStart(2, '0')}` })))
    .returning({ id: companies.id });
  companyIds = inserted.map((c) => c.id);
  // 120 deals with many ties (5 dates, 4 prices, one created_at: one statement) and nulls.
  rows = await db
    .insert(acquisitions)
    .values(
      Array.from({ length: 120 }, (_, i) => {
        const priced = i % 5 !== 0;
        return {
          acquirerId: companyIds[i % 5] as number,
          targetId: companyIds[5 + (i % 7)] as number,
          status: statuses[i % 5] as Row['status'],
          priceAmount: priced ? (prices[i % 4] as string) : null,
          currency: priced ? (i % 3 === 0 ? 'EUR' : 'USD') : null,
          announcedOn: i % 7 === 0 ? null : (dates[i % 5] as string),
        };
      }),
    )
    .returning();
});
afterAll(() => t.close());

const listQuery = /* GraphQL */ `
  query List(
    $first: Int
    $after: String
    $last: Int
    $before: String
    $filter: AcquisitionFilter
    $orderBy: AcquisitionOrder
  ) {
    acquisitions(
      first: $first
      after: $after
      last: $last
      before: $before
      filter: $filter
      orderBy: $orderBy
    ) {
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
`;

const select = (data: Record<string, unknown>) => data.acquisitions as Page;
const acquisitionId = (row: Row) => globalId('Acquisition', row.id);

type Key = (row: Row) => number;
/** The documented orderings: unknown dates and undisclosed prices count as the lowest; ties by id. */
const sortKeys: Record<string, Key> = {
  ANNOUNCED_ON: (row) => (row.announcedOn ? Date.parse(row.announcedOn) : -Infinity),
  PRICE: (row) => (row.priceAmount ? Number(row.priceAmount) : -1),
  CREATED_AT: () => 0,
};

function expectedOrder(list: Row[], field: string, direction: 'ASC' | 'DESC') {
  const key = sortKeys[field] as Key;
  const sign = direction === 'ASC' ? 1 : -1;
  return [...list].sort((a, b) => sign * (key(a) - key(b) || a.id - b.id)).map(acquisitionId);
}

describe('pagination', () => {
  for (const field of ['ANNOUNCED_ON', 'PRICE', 'CREATED_AT']) {
    for (const direction of ['ASC', 'DESC'] as const) {
      it(`visits every row once, in order, by ${field} ${direction}, forwards and backwards`, async () => {
        const expected = expectedOrder(rows, field, direction);
        const variables = { orderBy: { field, direction } };
        for (const size of [1, 7, 100]) {
          if (size === 1 && (field !== 'ANNOUNCED_ON' || direction !== 'DESC')) continue; // one single-row walk is enough
          expect(await pageThrough(t, { query: listQuery, variables, select, size })).toEqual(expected);
          expect(
            await pageThrough(t, { query: listQuery, variables, select, size, backwards: true }),
          ).toEqual(expected);
        }
      });
    }
  }

  it('defaults to the newest announcement first, 20 per page, with the total', async () => {
    const { body } = await t.gql<{ acquisitions: { totalCount: number; edges: { node: { id: string } }[] } }>(
      listQuery,
    );
    expect(body.data?.acquisitions.totalCount).toBe(120);
    expect(body.data?.acquisitions.edges.map((e) => e.node.id)).toEqual(
      expectedOrder(rows, 'ANNOUNCED_ON', 'DESC').slice(0, 20),
    );
  });

  it('reports pageInfo at both ends', async () => {
    const first = await t.gql<{ acquisitions: { pageInfo: Record<string, unknown> } }>(listQuery, {
      first: 100,
      filter: { currency: 'EUR' },
    });
    expect(first.body.data?.acquisitions.pageInfo).toMatchObject({
      hasNextPage: false,
      hasPreviousPage: false,
    });
    const last = await t.gql<{ acquisitions: { pageInfo: Record<string, unknown> } }>(listQuery, { last: 5 });
    expect(last.body.data?.acquisitions.pageInfo).toMatchObject({
      hasNextPage: false,
      hasPreviousPage: true,
    });
  });

  it('refuses page sizes over 100 and below 0 with BAD_USER_INPUT, even for totalCount alone', async () => {
    for (const variables of [{ first: 101 }, { last: 500 }, { first: -1 }, { first: 5, last: 5 }]) {
      const response = await t.gql(listQuery, variables);
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    }
    const countOnly = await t.gql('{ acquisitions(first: 101) { totalCount } }');
    expect(codesOf(countOnly)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(countOnly)).toEqual(['first']);
  });

  it('refuses cursors it did not issue with BAD_USER_INPUT, never INTERNAL_SERVER_ERROR', async () => {
    const { body } = await t.gql<{ acquisitions: { pageInfo: { endCursor: string } } }>(listQuery, {
      first: 2,
      orderBy: { field: 'PRICE', direction: 'DESC' },
    });
    const priceCursor = body.data?.acquisitions.pageInfo.endCursor;
    const foreign = [
      'not a cursor',
      Buffer.from('DC:T:["S:a","N:1","N:2"]').toString('base64'), // three values for two keys
      priceCursor, // a price cursor in a date ordering: the database refuses the comparison
      // Foreign cursors the Drizzle plugin took for positions (a prefix of the keys, values of
      // another type) and answered with a first page or a database error:
      Buffer.from('DC:S:2020-01-01').toString('base64'), // one value for two keys
      Buffer.from('DC:N:5').toString('base64'), // an account list's cursor
      Buffer.from('DC:T:["S:acme corp","N:3"]').toString('base64'), // a company name
      Buffer.from('DC:T:["D:1700000000000","N:3"]').toString('base64'), // a creation time
      Buffer.from('DC:T:["S:2020-02-30","N:3"]').toString('base64'), // no such day
      Buffer.from('DC:T:["S:2020-01-01","N:1.5"]').toString('base64'), // no such id
      Buffer.from('DC:T:["S:2020-01-01","Z:"]').toString('base64'), // a null key
    ];
    for (const after of foreign) {
      const response = await t.gql(listQuery, { first: 2, after });
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('filters', () => {
  const ids = async (filter: Record<string, unknown>) => {
    const { body } = await t.gql<{ acquisitions: { totalCount: number; edges: { node: { id: string } }[] } }>(
      listQuery,
      { first: 100, filter, orderBy: { field: 'CREATED_AT', direction: 'ASC' } },
    );
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    const found = body.data.acquisitions.edges.map((e) => e.node.id);
    // Every filter below matches fewer than a page, so the page is the whole result.
    expect(found.length).toBeLessThan(100);
    expect(body.data.acquisitions.totalCount).toBe(found.length);
    return found;
  };
  const matching = (keep: (row: Row) => boolean) =>
    rows
      .filter(keep)
      .sort((a, b) => a.id - b.id)
      .map(acquisitionId);

  it('status: any of a list; an empty list is no condition', async () => {
    expect(await ids({ status: ['COMPLETED', 'RUMORED'] })).toEqual(
      matching((r) => r.status === 'completed' || r.status === 'rumored'),
    );
    const all = await t.gql<{ acquisitions: { totalCount: number } }>(listQuery, { filter: { status: [] } });
    expect(all.body.data?.acquisitions.totalCount).toBe(120);
  });

  it('acquirerId and targetId', async () => {
    const acquirer = companyIds[2] as number;
    const target = companyIds[6] as number;
    expect(await ids({ acquirerId: globalId('Company', acquirer) })).toEqual(
      matching((r) => r.acquirerId === acquirer),
    );
    expect(await ids({ targetId: globalId('Company', target) })).toEqual(
      matching((r) => r.targetId === target),
    );
    expect(
      await ids({ acquirerId: globalId('Company', acquirer), targetId: globalId('Company', target) }),
    ).toEqual(matching((r) => r.acquirerId === acquirer && r.targetId === target));
  });

  it('announcedFrom and announcedTo, inclusive, never matching unknown dates', async () => {
    expect(await ids({ announcedFrom: '2018-07-15' })).toEqual(
      matching((r) => r.announcedOn !== null && r.announcedOn >= '2018-07-15'),
    );
    expect(await ids({ announcedTo: '2018-07-15' })).toEqual(
      matching((r) => r.announcedOn !== null && r.announcedOn <= '2018-07-15'),
    );
    expect(await ids({ announcedFrom: '2016-01-01', announcedTo: '2021-01-04' })).toEqual(
      matching(
        (r) => r.announcedOn !== null && r.announcedOn >= '2016-01-01' && r.announcedOn <= '2021-01-04',
      ),
    );
  });

  it('minPrice and maxPrice as decimal strings, never matching undisclosed prices', async () => {
    expect(await ids({ minPrice: '2500000.50' })).toEqual(
      matching((r) => r.priceAmount !== null && Number(r.priceAmount) >= 2500000.5),
    );
    expect(await ids({ maxPrice: '2500000.5' })).toEqual(
      matching((r) => r.priceAmount !== null && Number(r.priceAmount) <= 2500000.5),
    );
    expect(await ids({ minPrice: '0', maxPrice: '1000000' })).toEqual(
      matching((r) => r.priceAmount === '1000000.00'),
    );
  });

  it('currency, in any letter case', async () => {
    expect(await ids({ currency: 'eur' })).toEqual(matching((r) => r.currency === 'EUR'));
  });

  it('all conditions together', async () => {
    expect(
      await ids({ status: ['COMPLETED'], currency: 'USD', minPrice: '1', announcedFrom: '2018-01-01' }),
    ).toEqual(
      matching(
        (r) =>
          r.status === 'completed' &&
          r.currency === 'USD' &&
          r.priceAmount !== null &&
          r.announcedOn !== null &&
          r.announcedOn >= '2018-01-01',
      ),
    );
  });

  it('rejects malformed filter values with BAD_USER_INPUT naming each field', async () => {
    const response = await t.gql(listQuery, {
      filter: {
        acquirerId: 'not-an-id',
        targetId: globalId('Acquisition', 1), // an id, but of another type
        minPrice: '-5',
        maxPrice: '1e9',
        currency: 'XYZ',
      },
    });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(response).sort()).toEqual(
      [
        'filter.acquirerId',
        'filter.currency',
        'filter.maxPrice',
        'filter.minPrice',
        'filter.targetId',
      ].sort(),
    );
  });
});

describe('one SQL statement per root field', () => {
  const deepQuery = /* GraphQL */ `
    query Deep($first: Int!) {
      acquisitions(first: $first, orderBy: { field: ANNOUNCED_ON, direction: DESC }) {
        totalCount
        edges {
          cursor
          node {
            id
            status
            announcedOn
            closedOn
            notes
            createdAt
            price {
              amount
              currency
            }
            acquirer {
              id
              name
              country
            }
            target {
              id
              name
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `;

  for (const first of [1, 100]) {
    it(`acquisitions(first: ${first}) with acquirer, target and totalCount`, async () => {
      const { response, statements } = await withStatements<{
        acquisitions: {
          totalCount: number;
          edges: { node: { acquirer: { name: string }; target: { name: string } } }[];
        };
      }>(t, deepQuery, { first });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data?.acquisitions.edges).toHaveLength(first);
      expect(response.body.data?.acquisitions.totalCount).toBe(120);
      expect(
        response.body.data?.acquisitions.edges.every((e) => e.node.acquirer.name && e.node.target.name),
      ).toBe(true);
      expect(statements).toHaveLength(1);
      // Ordered by the expression acquisitions_announced_on_idx is built on.
      expect(statements[0]).toMatch(
        /order by coalesce\("\w+"\."announced_on", '-infinity'::date\) desc, "\w+"\."id" desc/,
      );
    });
  }

  // Compiled reads count in their one statement; an admin-only field leaves the request to
  // the resolvers, whose page query past the end carries no total and counts apart.
  for (const [how, extra, expected] of [
    ['compiled', '', 1],
    ['resolved', 'edges { node { createdBy { id } } }', 2],
  ] as const) {
    it(`a page past the end still answers totalCount, ${how} in ${expected} statement(s)`, async () => {
      const { body } = await t.gql<{ acquisitions: { pageInfo: { endCursor: string } } }>(listQuery, {
        last: 1,
      });
      const { response, statements } = await withStatements<{
        acquisitions: { totalCount: number; edges: unknown[] };
      }>(
        t,
        `query($after: String) { acquisitions(first: 5, after: $after) { totalCount edges { cursor } ${extra} } }`,
        { after: body.data?.acquisitions.pageInfo.endCursor },
      );
      expect(response.body.data?.acquisitions).toMatchObject({ totalCount: 120, edges: [] });
      expect(statements).toHaveLength(expected);
    });
  }

  it('totalCount alone is one count', async () => {
    const { response, statements } = await withStatements(
      t,
      '{ acquisitions(filter: { currency: "EUR" }) { totalCount } }',
    );
    expect(response.body.data).toEqual({
      acquisitions: { totalCount: rows.filter((r) => r.currency === 'EUR').length },
    });
    expect(statements).toHaveLength(1);
  });

  it('acquisition(id) and node(id) with both companies', async () => {
    const row = rows[3] as Row;
    for (const query of [
      `query($id: ID!) { acquisition(id: $id) { id acquirer { name } target { name } } }`,
      `query($id: ID!) { node(id: $id) { ... on Acquisition { id acquirer { name } target { name } } } }`,
    ]) {
      const { response, statements } = await withStatements(t, query, { id: acquisitionId(row) });
      expect(Object.values(response.body.data ?? {})[0]).toEqual({
        id: acquisitionId(row),
        acquirer: { name: `Company ${String(companyIds.indexOf(row.acquirerId) + 1).padStart(2, '0')}` },
        target: { name: `Company ${String(companyIds.indexOf(row.targetId) + 1).padStart(2, '0')}` },
      });
      expect(statements).toHaveLength(1);
    }
  });
});

describe('acquisition(id)', () => {
  it('is null for an id that matches nothing, BAD_USER_INPUT for one that is not an Acquisition id', async () => {
    const missing = await t.gql('query($id: ID!) { acquisition(id: $id) { id } }', {
      id: globalId('Acquisition', 999999),
    });
    expect(missing.body).toEqual({ data: { acquisition: null } });
    for (const id of ['garbage', globalId('Company', 1), Buffer.from('Acquisition:abc').toString('base64')]) {
      const response = await t.gql('query($id: ID!) { acquisition(id: $id) { id } }', { id });
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('shows price as a decimal string with its currency, and null when undisclosed', async () => {
    const priced = rows.find((r) => r.priceAmount === '99000000000.00') as Row;
    const undisclosed = rows.find((r) => r.priceAmount === null) as Row;
    const query = 'query($id: ID!) { acquisition(id: $id) { price { amount currency } announcedOn } }';
    const a = await t.gql(query, { id: acquisitionId(priced) });
    expect(a.body.data).toEqual({
      acquisition: {
        price: { amount: '99000000000.00', currency: priced.currency },
        announcedOn: priced.announcedOn,
      },
    });
    const b = await t.gql(query, { id: acquisitionId(undisclosed) });
    expect(b.body.data).toMatchObject({ acquisition: { price: null } });
  });
});
