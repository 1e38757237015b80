/** @defer and @stream on queries: payloads as they resolve, through the resolvers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquisitions, companies } from '../../src/db/schema.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { globalId } from '../helpers/domain.js';
import { subscribeSse, type LiveResult } from '../helpers/live.js';

let t: TestApp;
let buyer: string;

beforeAll(async () => {
  t = await startTestApp();
  const db = t.app.database.db;
  const [big, ...targets] = await db
    .insert(companies)
    .values([{ name: 'Big Buyer' }, { name: 'Small One' }, { name: 'Small Two' }, { name: 'Small Three' }])
    .returning({ id: companies.id });
  await db.insert(acquisitions).values(
    targets.map((target, i) => ({
      acquirerId: big!.id,
      targetId: target.id,
      status: 'completed' as const,
      announcedOn: `2020-01-0${i + 1}`,
    })),
  );
  buyer = globalId('Company', big!.id);
});
afterAll(() => t.close());

/** Every payload of an incremental response (over SSE), until the one without `hasNext`. */
async function payloads(query: string, variables: Record<string, unknown>): Promise<LiveResult[]> {
  const stream = await subscribeSse(t.url, query, variables);
  const all: LiveResult[] = [];
  for (;;) {
    const payload = await stream.next();
    all.push(payload);
    if (!(payload as { hasNext?: boolean }).hasNext) break;
  }
  await stream.completed;
  return all;
}

describe('@defer', () => {
  it('sends the company first and its acquisitions in a later payload', async () => {
    const result = await payloads(
      /* GraphQL */ `
        query Company($id: ID!) {
          company(id: $id) {
            name
            ... @defer(label: "deals") {
              acquisitions(first: 10) {
                edges {
                  node {
                    target {
                      name
                    }
                  }
                }
              }
            }
          }
        }
      `,
      { id: buyer },
    );
    expect(result).toEqual([
      { data: { company: { name: 'Big Buyer' } }, hasNext: true },
      {
        incremental: [
          {
            data: {
              acquisitions: {
                edges: [
                  { node: { target: { name: 'Small Three' } } },
                  { node: { target: { name: 'Small Two' } } },
                  { node: { target: { name: 'Small One' } } },
                ],
              },
            },
            path: ['company'],
            label: 'deals',
          },
        ],
        hasNext: false,
      },
    ]);
  });

  it('answers in one payload when the condition is false', async () => {
    const result = await payloads(
      'query($id: ID!) { company(id: $id) { name ... @defer(if: false) { foundedYear } } }',
      { id: buyer },
    );
    expect(result).toEqual([{ data: { company: { name: 'Big Buyer', foundedYear: null } } }]);
  });
});

describe('a client that accepts JSON only', () => {
  it('gets 406 Not Acceptable: one JSON document cannot carry later payloads', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        query: 'query($id: ID!) { company(id: $id) { name ... @defer { foundedYear } } }',
        variables: { id: buyer },
      }),
    });
    expect(response.status).toBe(406);
  });
});

describe('@stream', () => {
  it('sends the first items of a list, then the rest one by one', async () => {
    const result = await payloads(
      /* GraphQL */ `
        query Deals($id: ID!) {
          company(id: $id) {
            acquisitions(first: 3) {
              edges @stream(initialCount: 1) {
                node {
                  announcedOn
                }
              }
            }
          }
        }
      `,
      { id: buyer },
    );
    expect(result[0]).toEqual({
      data: { company: { acquisitions: { edges: [{ node: { announcedOn: '2020-01-03' } }] } } },
      hasNext: true,
    });
    const streamed = result
      .slice(1)
      .flatMap((payload) => (payload as { incremental?: { items: unknown[] }[] }).incremental ?? [])
      .flatMap((increment) => increment.items);
    expect(streamed).toEqual([
      { node: { announcedOn: '2020-01-02' } },
      { node: { announcedOn: '2020-01-01' } },
    ]);
    expect((result.at(-1) as { hasNext: boolean }).hasNext).toBe(false);
  });

  it('is refused on a field that is not a list', async () => {
    const { body } = await t.gql('query($id: ID!) { company(id: $id) { name @stream } }', { id: buyer });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
