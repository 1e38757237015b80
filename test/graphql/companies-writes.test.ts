/** Writing companies: who may do what, input rules, name conflicts and deleting a company with deals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquisitions, companies } from '../../src/db/schema.js';
import { manyAccountsEnv } from '../helpers/accounts.js';
import { createActors, type Actors } from '../helpers/actors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { codesOf, fieldsOf, globalId } from '../helpers/domain.js';

let t: TestApp;
let actors: Actors;

beforeAll(async () => {
  t = await startTestApp(manyAccountsEnv);
  actors = await createActors(t);
});
afterAll(() => t.close());

const companyFields = 'id name website industry country foundedYear description';
const createMutation = `mutation($input: CreateCompanyInput!) { createCompany(input: $input) { ${companyFields} } }`;
const updateMutation = `mutation($id: ID!, $input: UpdateCompanyInput!) { updateCompany(id: $id, input: $input) { ${companyFields} } }`;
const deleteMutation = `mutation($id: ID!) { deleteCompany(id: $id) { ${companyFields} } }`;

let counter = 0;
const uniqueName = () => `Company ${++counter}`;

async function create(
  headers: Record<string, string> = actors.headers.creator,
  input: Record<string, unknown> = {},
) {
  const response = await t.gql<{ createCompany: { id: string } }>(
    createMutation,
    { input: { name: uniqueName(), ...input } },
    headers,
  );
  const id = response.body.data?.createCompany.id;
  if (!id) throw new Error(JSON.stringify(response.body.errors));
  return id;
}

const rowIdOf = (id: string) => Number(Buffer.from(id, 'base64').toString().split(':')[1]);

describe('createCompany', () => {
  it('records the company, trimmed and with the country upper-cased', async () => {
    const { body } = await t.gql(
      createMutation,
      {
        input: {
          name: '  Pixar ',
          website: 'https://www.pixar.com',
          industry: 'Animation',
          country: 'us',
          foundedYear: 1986,
          description: 'Computer animation studio.',
        },
      },
      actors.headers.creator,
    );
    expect(body).toEqual({
      data: {
        createCompany: {
          id: expect.any(String),
          name: 'Pixar',
          website: 'https://www.pixar.com',
          industry: 'Animation',
          country: 'US',
          foundedYear: 1986,
          description: 'Computer animation studio.',
        },
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
        { input: { name: uniqueName() } },
        actors.headers[actor as keyof Actors['headers']],
      );
      expect([actor, codesOf(response)[0]]).toEqual([actor, code]);
    }
  });

  const nextYear = new Date().getUTCFullYear() + 1;
  const invalid: [string, Record<string, unknown>, string][] = [
    ['a blank name', { name: '   ' }, 'input.name'],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, 'input.name'],
    ['a website that is not an http(s) URL', { website: 'ftp://example.com' }, 'input.website'],
    ['a website that is not a URL', { website: 'example' }, 'input.website'],
    ['an unknown country code', { country: 'ZZ' }, 'input.country'],
    ['a country name instead of a code', { country: 'USA' }, 'input.country'],
    ['a founding year in the future', { foundedYear: nextYear }, 'input.foundedYear'],
    ['a founding year before the common era', { foundedYear: 0 }, 'input.foundedYear'],
    ['an overlong industry', { industry: 'x'.repeat(101) }, 'input.industry'],
  ];
  for (const [rule, input, field] of invalid) {
    it(`refuses ${rule} with BAD_USER_INPUT on ${field}`, async () => {
      const response = await t.gql(
        createMutation,
        { input: { name: uniqueName(), ...input } },
        actors.headers.creator,
      );
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
      expect(fieldsOf(response)).toEqual([field]);
    });
  }

  it('accepts this year as a founding year', async () => {
    await expect(create(actors.headers.creator, { foundedYear: nextYear - 1 })).resolves.toEqual(
      expect.any(String),
    );
  });

  it('refuses a taken name, whatever its letter case, with CONFLICT', async () => {
    await create(actors.headers.creator, { name: 'Unique Name Co' });
    const response = await t.gql(createMutation, { input: { name: 'UNIQUE name co' } }, actors.headers.other);
    expect(codesOf(response)).toEqual(['CONFLICT']);
    expect(fieldsOf(response)).toEqual(['input.name']);
  });
});

describe('updateCompany', () => {
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
        { id, input: { industry: actor } },
        actors.headers[actor as keyof Actors['headers']],
      );
      expect([actor, codesOf(response)[0]]).toEqual([actor, code]);
    }
  });

  it('changes only the fields given, null clears, and returns the company', async () => {
    const id = await create(actors.headers.creator, {
      industry: 'Software',
      country: 'SE',
      foundedYear: 2009,
    });
    const { body } = await t.gql<{ updateCompany: Record<string, unknown> }>(
      updateMutation,
      { id, input: { name: 'Renamed Studio', country: null } },
      actors.headers.creator,
    );
    expect(body.data?.updateCompany).toMatchObject({
      id,
      name: 'Renamed Studio',
      industry: 'Software',
      country: null,
      foundedYear: 2009,
    });
  });

  it('refuses a taken name with CONFLICT, a null name with BAD_USER_INPUT, an unknown id with NOT_FOUND', async () => {
    await create(actors.headers.creator, { name: 'Taken Name' });
    const id = await create();
    expect(
      codesOf(await t.gql(updateMutation, { id, input: { name: 'taken NAME' } }, actors.headers.creator)),
    ).toEqual(['CONFLICT']);
    const nulled = await t.gql(updateMutation, { id, input: { name: null } }, actors.headers.creator);
    expect(fieldsOf(nulled)).toEqual(['input.name']);
    const missing = await t.gql(
      updateMutation,
      { id: globalId('Company', 777777), input: { name: 'x' } },
      actors.headers.admin,
    );
    expect(codesOf(missing)).toEqual(['NOT_FOUND']);
  });
});

describe('deleteCompany', () => {
  it('is for admins with write access only, and returns the deleted company', async () => {
    const id = await create(actors.headers.creator, { industry: 'Doomed' });
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
    const { body } = await t.gql<{ deleteCompany: Record<string, unknown> }>(
      deleteMutation,
      { id },
      actors.headers.admin,
    );
    expect(body.data?.deleteCompany).toMatchObject({ id, industry: 'Doomed' });
    expect(codesOf(await t.gql(deleteMutation, { id }, actors.headers.admin))).toEqual(['NOT_FOUND']);
    expect((await t.gql('query($id: ID!) { company(id: $id) { id } }', { id })).body).toEqual({
      data: { company: null },
    });
  });

  it('refuses, with CONFLICT saying why, while the company buys or is bought in a recorded deal', async () => {
    const acquirer = await create();
    const acquired = await create();
    await t.app.database.db
      .insert(acquisitions)
      .values({ acquirerId: rowIdOf(acquirer), targetId: rowIdOf(acquired), status: 'pending' });
    for (const id of [acquirer, acquired]) {
      const response = await t.gql(deleteMutation, { id }, actors.headers.admin);
      expect(codesOf(response)).toEqual(['CONFLICT']);
      expect(response.body.errors?.[0]?.message).toMatch(/acquisitions/);
    }
    const stillThere = await t.app.database.db.select({ id: companies.id }).from(companies);
    expect(stillThere.map((row) => row.id)).toEqual(
      expect.arrayContaining([rowIdOf(acquirer), rowIdOf(acquired)]),
    );
  });
});

describe('createdBy', () => {
  it('names the creator to admins and is null for everyone else', async () => {
    const id = await create();
    const query = 'query($id: ID!) { company(id: $id) { createdBy { id } } }';
    expect((await t.gql(query, { id }, actors.headers.admin)).body).toEqual({
      data: { company: { createdBy: { id: actors.creator.id } } },
    });
    expect((await t.gql(query, { id }, actors.headers.creator)).body).toEqual({
      data: { company: { createdBy: null } },
    });
  });
});
