/** Writing acquisitions: who may do what, input rules, and database refusals as client errors. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquisitions, companies } from '../../src/db/schema.js';
import { manyAccountsEnv } from '../helpers/accounts.js';
import { createActors, type Actors } from '../helpers/actors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { codesOf, fieldsOf, globalId } from '../helpers/domain.js';

let t: TestApp;
let actors: Actors;
let buyer: string;
let target: string;
let third: string;

beforeAll(async () => {
  t = await startTestApp(manyAccountsEnv);
  actors = await createActors(t);
  const rows = await t.app.database.db
    .insert(companies)
    .values([{ name: 'Buyer Inc' }, { name: 'Target Ltd' }, { name: 'Third GmbH' }])
    .returning({ id: companies.id });
  [buyer, target, third] = rows.map((row) => globalId('Company', row.id)) as [string, string, string];
});
afterAll(() => t.close());

const createMutation = /* GraphQL */ `
  mutation Create($input: CreateAcquisitionInput!) {
    createAcquisition(input: $input) {
      id
      status
      announcedOn
      closedOn
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
    }
  }
`;
const updateMutation = /* GraphQL */ `
  mutation Update($id: ID!, $input: UpdateAcquisitionInput!) {
    updateAcquisition(id: $id, input: $input) {
      id
      status
      announcedOn
      closedOn
      notes
      price {
        amount
        currency
      }
      target {
        name
      }
      updatedAt
    }
  }
`;
const deleteMutation = /* GraphQL */ `
  mutation Delete($id: ID!) {
    deleteAcquisition(id: $id) {
      id
      status
      acquirer {
        name
      }
      target {
        name
      }
    }
  }
`;

const validInput = () => ({
  acquirerId: buyer,
  targetId: target,
  status: 'ANNOUNCED',
  price: { amount: '1650000000', currency: 'usd' },
  announcedOn: '2006-10-09',
  notes: 'Test deal',
});

async function create(
  headers: Record<string, string> = actors.headers.creator,
  input: Record<string, unknown> = {},
) {
  const response = await t.gql<{ createAcquisition: { id: string } }>(
    createMutation,
    {
      input: { ...validInput(), ...input },
    },
    headers,
  );
  const id = response.body.data?.createAcquisition.id;
  if (!id) throw new Error(JSON.stringify(response.body.errors));
  return id;
}

describe('createAcquisition', () => {
  it('records the deal and returns it as selected, currency upper-cased, price as given', async () => {
    const { body } = await t.gql(createMutation, { input: validInput() }, actors.headers.creator);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      createAcquisition: {
        id: expect.any(String),
        status: 'ANNOUNCED',
        announcedOn: '2006-10-09',
        closedOn: null,
        notes: 'Test deal',
        price: { amount: '1650000000.00', currency: 'USD' },
        acquirer: { name: 'Buyer Inc' },
        target: { name: 'Target Ltd' },
      },
    });
  });

  it('is open to signed-in writers only', async () => {
    const expectations = {
      guest: 'UNAUTHENTICATED',
      creatorReadKey: 'FORBIDDEN',
      creator: undefined,
      other: undefined,
      admin: undefined,
      creatorWriteKey: undefined,
    } as const;
    for (const [actor, code] of Object.entries(expectations)) {
      const response = await t.gql(
        createMutation,
        { input: validInput() },
        actors.headers[actor as keyof Actors['headers']],
      );
      expect([actor, codesOf(response)[0]]).toEqual([actor, code]);
    }
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['acquirer = target', { targetId: 'same' }, 'input.targetId'],
    ['closedOn before announcedOn', { announcedOn: '2020-05-02', closedOn: '2020-05-01' }, 'input.closedOn'],
    ['a negative amount', { price: { amount: '-1', currency: 'USD' } }, 'input.price.amount'],
    ['an amount with three decimals', { price: { amount: '1.005', currency: 'USD' } }, 'input.price.amount'],
    ['an amount in exponent notation', { price: { amount: '1e9', currency: 'USD' } }, 'input.price.amount'],
    [
      'an amount too large for numeric(20,2)',
      { price: { amount: '1234567890123456789', currency: 'USD' } },
      'input.price.amount',
    ],
    ['an unknown currency', { price: { amount: '1', currency: 'ABC' } }, 'input.price.currency'],
    ['a malformed acquirer id', { acquirerId: 'nope' }, 'input.acquirerId'],
    ['an id of another type', { targetId: globalId('User', 1) }, 'input.targetId'],
    ['a company id that does not exist', { targetId: globalId('Company', 987654) }, 'input.targetId'],
    ['overlong notes', { notes: 'x'.repeat(10_001) }, 'input.notes'],
  ];
  for (const [rule, change, field] of invalid) {
    it(`refuses ${rule} with BAD_USER_INPUT on ${field}`, async () => {
      const input = { ...validInput(), ...change };
      if (change.targetId === 'same') input.targetId = buyer;
      const response = await t.gql(createMutation, { input }, actors.headers.creator);
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
      expect(fieldsOf(response)).toEqual([field]);
      expect(response.body.data).toBeNull();
    });
  }

  it('reports every failing field at once', async () => {
    const response = await t.gql(
      createMutation,
      {
        input: {
          ...validInput(),
          acquirerId: 'nope',
          price: { amount: 'abc', currency: 'QQQ' },
          announcedOn: '2020-01-02',
          closedOn: '2020-01-01',
        },
      },
      actors.headers.creator,
    );
    expect(fieldsOf(response).sort()).toEqual(
      ['input.acquirerId', 'input.closedOn', 'input.price.amount', 'input.price.currency'].sort(),
    );
  });
});

describe('updateAcquisition', () => {
  it('is for the creator (with write access) and admins', async () => {
    const id = await create();
    const expectations = {
      guest: 'UNAUTHENTICATED',
      other: 'FORBIDDEN',
      creatorReadKey: 'FORBIDDEN',
      adminReadKey: 'FORBIDDEN',
      creator: undefined,
      creatorWriteKey: undefined,
      admin: undefined,
    } as const;
    for (const [actor, code] of Object.entries(expectations)) {
      const response = await t.gql(
        updateMutation,
        { id, input: { notes: `by ${actor}` } },
        actors.headers[actor as keyof Actors['headers']],
      );
      expect([actor, codesOf(response)[0]]).toEqual([actor, code]);
    }
  });

  it('changes only the fields given, null clears, and returns the updated deal', async () => {
    const id = await create();
    const { body } = await t.gql<{ updateAcquisition: Record<string, unknown> }>(
      updateMutation,
      { id, input: { status: 'COMPLETED', closedOn: '2006-11-13', price: null, targetId: third } },
      actors.headers.creator,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.updateAcquisition).toMatchObject({
      id,
      status: 'COMPLETED',
      announcedOn: '2006-10-09',
      closedOn: '2006-11-13',
      notes: 'Test deal',
      price: null,
      target: { name: 'Third GmbH' },
    });
  });

  it('refuses what only the database can check, as BAD_USER_INPUT naming the field', async () => {
    const id = await create();
    // The stored announcedOn is 2006-10-09 and the acquirer is Buyer Inc.
    const cases: [Record<string, unknown>, string][] = [
      [{ closedOn: '2006-01-01' }, 'input.closedOn'],
      [{ targetId: buyer }, 'input.targetId'],
      [{ acquirerId: target }, 'input.targetId'],
      [{ acquirerId: globalId('Company', 424242) }, 'input.acquirerId'],
    ];
    for (const [input, field] of cases) {
      const response = await t.gql(updateMutation, { id, input }, actors.headers.creator);
      expect([input, codesOf(response)]).toEqual([input, ['BAD_USER_INPUT']]);
      expect(fieldsOf(response)).toEqual([field]);
    }
  });

  it('refuses null for required fields and says NOT_FOUND for an unknown id', async () => {
    const id = await create();
    const nulls = await t.gql(
      updateMutation,
      { id, input: { status: null, acquirerId: null } },
      actors.headers.creator,
    );
    expect(fieldsOf(nulls).sort()).toEqual(['input.acquirerId', 'input.status']);
    const missing = await t.gql(
      updateMutation,
      { id: globalId('Acquisition', 999999), input: { notes: 'x' } },
      actors.headers.admin,
    );
    expect(codesOf(missing)).toEqual(['NOT_FOUND']);
    const malformed = await t.gql(
      updateMutation,
      { id: 'zzz', input: { notes: 'x' } },
      actors.headers.creator,
    );
    expect(codesOf(malformed)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('deleteAcquisition', () => {
  it('is for admins with write access only, and returns the deleted deal', async () => {
    const id = await create();
    const expectations = {
      guest: 'UNAUTHENTICATED',
      other: 'FORBIDDEN',
      creator: 'FORBIDDEN',
      creatorWriteKey: 'FORBIDDEN',
      adminReadKey: 'FORBIDDEN',
    } as const;
    for (const [actor, code] of Object.entries(expectations)) {
      const response = await t.gql(deleteMutation, { id }, actors.headers[actor as keyof Actors['headers']]);
      expect([actor, codesOf(response)[0]]).toEqual([actor, code]);
    }
    const { body } = await t.gql(deleteMutation, { id }, actors.headers.admin);
    expect(body).toEqual({
      data: {
        deleteAcquisition: {
          id,
          status: 'ANNOUNCED',
          acquirer: { name: 'Buyer Inc' },
          target: { name: 'Target Ltd' },
        },
      },
    });
    const rowId = Number(Buffer.from(id, 'base64').toString().split(':')[1]);
    expect(await t.app.database.db.select().from(acquisitions).where(eq(acquisitions.id, rowId))).toEqual([]);
    expect(codesOf(await t.gql(deleteMutation, { id }, actors.headers.admin))).toEqual(['NOT_FOUND']);
  });
});

describe('createdBy', () => {
  it('names the creator to admins and is null for everyone else', async () => {
    const id = await create();
    const query = 'query($id: ID!) { acquisition(id: $id) { createdBy { id } } }';
    const asAdmin = await t.gql(query, { id }, actors.headers.admin);
    expect(asAdmin.body).toEqual({ data: { acquisition: { createdBy: { id: actors.creator.id } } } });
    for (const headers of [actors.headers.guest, actors.headers.creator, actors.headers.other]) {
      expect((await t.gql(query, { id }, headers)).body).toEqual({
        data: { acquisition: { createdBy: null } },
      });
    }
  });
});
