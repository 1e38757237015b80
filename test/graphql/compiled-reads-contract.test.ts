/**
 * The compiled path serves only what the schema proves public: a test schema adds fields to
 * Company the way a later change would, and the compiler must serve a plain exposed column
 * at once (both paths, one edit) and refuse a field with auth scopes or logic it does not
 * know, leaving those to the resolvers.
 */
import { execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { executeCompiled as ExecuteCompiled } from '../../src/graphql/compiled-reads/use-compiled-reads.js';
import type { Context, Viewer } from '../../src/graphql/context.js';
import type { TestApp } from '../helpers/app.js';

let testSchema: GraphQLSchema;
let executeCompiled: typeof ExecuteCompiled;
let t: TestApp;
let context: Context;

beforeAll(async () => {
  // The fields are added to the builder before the schema is built from it, as fields written
  // in company.ts would be. A test worker keeps the modules of its earlier files, whose schema
  // is built already: this file loads its own, and leaves none of them to the next file.
  vi.resetModules();
  const { builder } = await import('../../src/graphql/builder.js');
  const { Company } = await import('../../src/graphql/types/company.js');
  builder.drizzleObjectFields(Company, (f) => ({
    // One edit, as a developer would add a column's field: both paths serve it.
    descriptionAgain: f.exposeString('description', {
      nullable: true,
      description: 'The description again.',
    }),
    // An admin-only field: the resolvers alone know the rule.
    internalNotes: f.exposeString('description', {
      nullable: true,
      description: 'Admins only.',
      authScopes: { admin: true },
    }),
    // Logic only its resolver knows: nothing tells the compiler what it returns.
    shoutedName: f.string({
      description: 'The name in capitals.',
      select: { columns: { name: true } },
      resolve: (company) => company.name.toUpperCase(),
    }),
  }));
  ({ schema: testSchema } = await import('../../src/graphql/schema.js'));
  ({ executeCompiled } = await import('../../src/graphql/compiled-reads/use-compiled-reads.js'));
  const { companies } = await import('../../src/db/schema.js');
  const { startTestApp } = await import('../helpers/app.js');
  t = await startTestApp({ RATE_LIMIT: 'false' });
  await t.app.database.db
    .insert(companies)
    .values([{ name: 'Alpha', description: 'Sells things' }, { name: 'Beta' }]);
  context = {
    db: t.app.database.db,
    auth: undefined as never,
    viewer: null,
    requestId: 'contract-test',
    logger: t.app.logger,
    request: new Request('http://localhost/graphql'),
    clientIp: null,
    responseCookies: [],
    live: undefined as never,
  };
});

afterAll(async () => {
  await t?.close();
  vi.resetModules();
});

async function bothWays(query: string, viewer: Viewer | null = null) {
  const args = { schema: testSchema, document: parse(query), contextValue: { ...context, viewer } };
  return {
    compiled: await executeCompiled(args),
    resolved: (await execute(args)) as ExecutionResult,
  };
}

const admin: Viewer = { userId: 1, role: 'admin', sessionId: 'not-looked-up' };

describe('the compiler reads what it may serve from the schema', () => {
  it('serves a newly exposed column at once, as the resolvers do', async () => {
    const { compiled, resolved } = await bothWays(
      '{ companies { edges { node { name descriptionAgain } } } }',
    );
    expect(compiled).toBeDefined();
    expect(resolved.errors).toBeUndefined();
    expect(JSON.stringify(compiled)).toBe(JSON.stringify(resolved));
    expect(JSON.stringify(compiled)).toContain('Sells things');
  });

  for (const viewer of [null, admin]) {
    it(`never serves a field with auth scopes (${viewer ? 'an admin' : 'a guest'} asking)`, async () => {
      const { compiled, resolved } = await bothWays(
        '{ companies { edges { node { name internalNotes } } } }',
        viewer,
      );
      expect(compiled).toBeUndefined();
      // The resolvers apply the rule: guests are refused, admins see the notes.
      if (viewer) expect(JSON.stringify(resolved.data)).toContain('Sells things');
      else expect(resolved.errors?.map((e) => e.extensions.code)).toContain('UNAUTHENTICATED');
    });
  }

  it('never serves an auth-scoped field reached through a fragment, a node or a nested list', async () => {
    for (const query of [
      '{ companies { edges { node { ...Notes } } } } fragment Notes on Company { internalNotes }',
      '{ acquisitions { edges { node { acquirer { internalNotes } } } } }',
    ]) {
      expect(
        await executeCompiled({ schema: testSchema, document: parse(query), contextValue: context }),
      ).toBeUndefined();
    }
  });

  it('never serves a field whose resolver it cannot read', async () => {
    const { compiled, resolved } = await bothWays('{ companies { edges { node { shoutedName } } } }');
    expect(compiled).toBeUndefined();
    expect(JSON.stringify(resolved.data)).toContain('ALPHA');
  });
});
