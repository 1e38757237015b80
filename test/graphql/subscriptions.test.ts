/** Live events over SSE: what is published (after commit only), filters and visibility. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { companies } from '../../src/db/schema.js';
import { manyAccountsEnv } from '../helpers/accounts.js';
import { createActors, type Actors } from '../helpers/actors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { globalId } from '../helpers/domain.js';
import { subscribeSse, type LiveSubscription } from '../helpers/live.js';

let t: TestApp;
let actors: Actors;
let buyer: string;
let target: string;
let third: string;
const open: LiveSubscription[] = [];

beforeAll(async () => {
  t = await startTestApp(manyAccountsEnv);
  actors = await createActors(t);
  const rows = await t.app.database.db
    .insert(companies)
    .values([{ name: 'Live Buyer' }, { name: 'Live Target' }, { name: 'Live Third' }])
    .returning({ id: companies.id });
  [buyer, target, third] = rows.map((row) => globalId('Company', row.id)) as [string, string, string];
});
afterEach(() => {
  for (const subscription of open.splice(0)) subscription.close();
});
afterAll(() => t.close());

async function subscribe(query: string, variables: Record<string, unknown> = {}, headers = {}) {
  const subscription = await subscribeSse(t.url, query, variables, headers);
  open.push(subscription);
  return subscription;
}

const acquisitionEvents = /* GraphQL */ `
  subscription Deals($filter: AcquisitionEventFilter) {
    acquisitionEvents(filter: $filter) {
      kind
      acquisitionId
      at
      acquisition {
        id
        status
        notes
        price {
          amount
          currency
        }
        acquirer {
          name
        }
        target {
          name
        }
        createdBy {
          name
        }
      }
    }
  }
`;

async function createDeal(input: Record<string, unknown>, headers = actors.headers.creator) {
  const { body } = await t.gql<{ createAcquisition: { id: string } }>(
    'mutation($input: CreateAcquisitionInput!) { createAcquisition(input: $input) { id } }',
    { input: { acquirerId: buyer, targetId: target, status: 'RUMORED', ...input } },
    headers,
  );
  const id = body.data?.createAcquisition.id;
  if (!id) throw new Error(`createAcquisition failed: ${JSON.stringify(body.errors)}`);
  return id;
}

describe('acquisitionEvents', () => {
  it('delivers a created acquisition, its companies resolved, once the write committed', async () => {
    const live = await subscribe(acquisitionEvents);
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const id = await createDeal({ notes: 'first', price: { amount: '12.50', currency: 'usd' } });
    const event = await live.next();
    expect(event.errors).toBeUndefined();
    expect(event.data).toEqual({
      acquisitionEvents: {
        kind: 'CREATED',
        acquisitionId: id,
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        acquisition: {
          id,
          status: 'RUMORED',
          notes: 'first',
          price: { amount: '12.50', currency: 'USD' },
          acquirer: { name: 'Live Buyer' },
          target: { name: 'Live Target' },
          // Admin-only: null for a guest subscriber.
          createdBy: null,
        },
      },
    });
  });

  it("serves the deal's own fields from the event: no read per subscriber", async () => {
    const lean =
      'subscription { acquisitionEvents { acquisition { id status createdAt price { amount } } } }';
    const subscribers = await Promise.all([subscribe(lean), subscribe(lean), subscribe(lean)]);
    const id = await createDeal({ price: { amount: '5', currency: 'EUR' } });
    const sent = t.queries.length;
    for (const live of subscribers) {
      expect((await live.next()).data?.acquisitionEvents).toEqual({
        acquisition: { id, status: 'RUMORED', createdAt: expect.any(String), price: { amount: '5.00' } },
      });
    }
    expect(t.queries.slice(sent)).toEqual([]);
  });

  it('executes an event once for subscribers of the same shape, once per signed-in viewer', async () => {
    const withTarget = 'subscription { acquisitionEvents { acquisition { target { name } } } }';
    const guests = await Promise.all([subscribe(withTarget), subscribe(withTarget), subscribe(withTarget)]);
    const user = await subscribe(withTarget, {}, actors.headers.other);
    const sent = t.queries.length;
    await createDeal({ notes: 'shared' });
    for (const live of [...guests, user]) {
      expect((await live.next()).data?.acquisitionEvents).toEqual({
        acquisition: { target: { name: 'Live Target' } },
      });
    }
    // The deal is read again for its target: once for the guests, once for the user.
    expect(t.queries.slice(sent).filter((sql) => sql.includes('"target"'))).toHaveLength(2);
  });

  it('publishes nothing for a write the database refused', async () => {
    const live = await subscribe(acquisitionEvents);
    const refused = await t.gql(
      'mutation($input: CreateAcquisitionInput!) { createAcquisition(input: $input) { id } }',
      // No such company: the insert fails on the foreign key.
      { input: { acquirerId: buyer, targetId: globalId('Company', 999_999), status: 'RUMORED' } },
      actors.headers.creator,
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const id = await createDeal({ notes: 'after the refusal' });
    const event = await live.next();
    expect(event.data?.acquisitionEvents).toMatchObject({ kind: 'CREATED', acquisitionId: id });
  });

  it('shows admin-only fields to admins only', async () => {
    const asAdmin = await subscribe(acquisitionEvents, {}, actors.headers.admin);
    const asUser = await subscribe(acquisitionEvents, {}, actors.headers.other);
    await createDeal({ notes: 'who wrote it' });
    const seen = (await asAdmin.next()).data?.acquisitionEvents as { acquisition: { createdBy: unknown } };
    expect(seen.acquisition.createdBy).toEqual({ name: 'Creator' });
    const hidden = (await asUser.next()).data?.acquisitionEvents as { acquisition: { createdBy: unknown } };
    expect(hidden.acquisition.createdBy).toBeNull();
  });

  it('delivers updates and deletes; a delete has no acquisition, only its id', async () => {
    const id = await createDeal({ notes: 'to change' });
    const live = await subscribe(acquisitionEvents);
    const updated = await t.gql(
      'mutation($id: ID!) { updateAcquisition(id: $id, input: { status: PENDING }) { id } }',
      { id },
      actors.headers.creator,
    );
    expect(updated.body.errors).toBeUndefined();
    expect((await live.next()).data?.acquisitionEvents).toMatchObject({
      kind: 'UPDATED',
      acquisition: { id, status: 'PENDING' },
    });
    const deleted = await t.gql(
      'mutation($id: ID!) { deleteAcquisition(id: $id) { id } }',
      { id },
      actors.headers.admin,
    );
    expect(deleted.body.errors).toBeUndefined();
    expect((await live.next()).data?.acquisitionEvents).toMatchObject({
      kind: 'DELETED',
      acquisitionId: id,
      acquisition: null,
    });
  });

  it('filters by company (either side) and status', async () => {
    const byTarget = await subscribe(acquisitionEvents, {
      filter: { companyId: target, status: ['COMPLETED'] },
    });
    const byThird = await subscribe(acquisitionEvents, { filter: { companyId: third } });
    await createDeal({ status: 'RUMORED', notes: 'wrong status' });
    const thirdDeal = await createDeal({ acquirerId: third, status: 'COMPLETED', notes: 'third buys' });
    const completed = await createDeal({ status: 'COMPLETED', notes: 'right status' });
    expect((await byThird.next()).data?.acquisitionEvents).toMatchObject({ acquisitionId: thirdDeal });
    // thirdDeal targets `target` too, and is COMPLETED: both match byTarget, in commit order.
    expect((await byTarget.next()).data?.acquisitionEvents).toMatchObject({ acquisitionId: thirdDeal });
    expect((await byTarget.next()).data?.acquisitionEvents).toMatchObject({ acquisitionId: completed });
  });

  it('refuses a malformed company id before the stream starts', async () => {
    const live = await subscribe(acquisitionEvents, { filter: { companyId: 'nope' } });
    const refusal = await live.next();
    expect(refusal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('companyEvents', () => {
  const companyEvents = /* GraphQL */ `
    subscription Company($id: ID!) {
      companyEvents(id: $id) {
        __typename
        ... on CompanyEvent {
          kind
          companyId
          company {
            name
          }
        }
        ... on AcquisitionEvent {
          kind
          acquisitionId
        }
      }
    }
  `;

  it('delivers changes to the company and to the deals it takes part in, nothing else', async () => {
    const live = await subscribe(companyEvents, { id: third });
    await createDeal({ notes: 'not about third' });
    const renamed = await t.gql(
      'mutation($id: ID!) { updateCompany(id: $id, input: { name: "Live Third Renamed" }) { id } }',
      { id: third },
      actors.headers.admin,
    );
    expect(renamed.body.errors).toBeUndefined();
    const deal = await createDeal({ targetId: third, notes: 'buys third' });
    expect((await live.next()).data?.companyEvents).toEqual({
      __typename: 'CompanyEvent',
      kind: 'UPDATED',
      companyId: third,
      company: { name: 'Live Third Renamed' },
    });
    expect((await live.next()).data?.companyEvents).toEqual({
      __typename: 'AcquisitionEvent',
      kind: 'CREATED',
      acquisitionId: deal,
    });
  });

  it('tells a company that a deal moved away from it', async () => {
    const deal = await createDeal({ acquirerId: third, notes: 'third buys, then does not' });
    const live = await subscribe(companyEvents, { id: third });
    const moved = await t.gql(
      'mutation($id: ID!, $buyer: ID!) { updateAcquisition(id: $id, input: { acquirerId: $buyer }) { id } }',
      { id: deal, buyer },
      actors.headers.creator,
    );
    expect(moved.body.errors).toBeUndefined();
    expect((await live.next()).data?.companyEvents).toEqual({
      __typename: 'AcquisitionEvent',
      kind: 'UPDATED',
      acquisitionId: deal,
    });
  });

  it('answers NOT_FOUND for a company that does not exist', async () => {
    const live = await subscribe(companyEvents, { id: globalId('Company', 999_999) });
    expect((await live.next()).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
