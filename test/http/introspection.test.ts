import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printSdl } from '../../src/graphql/print.js';
import { schema } from '../../src/graphql/schema.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ INTROSPECTION: 'false' });
});
afterAll(() => t.close());

describe('INTROSPECTION=false', () => {
  it('refuses the standard introspection query with FORBIDDEN and points at the SDL', async () => {
    const { body } = await t.gql(getIntrospectionQuery());
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(body.errors?.[0]?.message).toContain('/schema.graphql');
  });

  it('refuses __type lookups too', async () => {
    const { body } = await t.gql('{ __type(name: "User") { name } }');
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('still serves ordinary queries, __typename included', async () => {
    const { body } = await t.gql('{ __typename me { id } }');
    expect(body).toEqual({ data: { __typename: 'Query', me: null } });
  });

  it('still publishes the SDL at /schema.graphql', async () => {
    const response = await fetch(`${t.url}/schema.graphql`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(printSdl(schema));
  });
});
