import SchemaBuilder from '@pothos/core';
import DrizzlePlugin from '@pothos/plugin-drizzle';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ZodPlugin from '@pothos/plugin-zod';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { relations } from '../db/relations.js';
import type { Context } from './context.js';
import { forbidden, unauthenticated } from './errors.js';
import { decodeNodeId, nullWhenMissing } from './global-id.js';
import { isVisible } from './node-visibility.js';
import { readPlan } from './read-plans.js';
import { StorableDate, StorableDateTime } from './scalars.js';
import { zodValidationError } from './validation.js';

export interface AuthScopes {
  /** Any signed-in viewer (session or API key). */
  signedIn: boolean;
  admin: boolean;
  /** A viewer allowed to write: a session, or an API key created with write access. */
  writer: boolean;
  /**
   * A signed-in session (a token), not an API key: what managing an account needs (roles,
   * email, password, deletion, keys). Keys act for their owner on domain data only, so a
   * leaked key cannot take the account over.
   */
  session: boolean;
}

export interface PothosTypes {
  Context: Context;
  AuthScopes: AuthScopes;
  DrizzleRelations: typeof relations;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: Date; Output: Date | string };
    ID: { Input: string; Output: string | number };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}

export const builder = new SchemaBuilder<PothosTypes>({
  plugins: [ScopeAuthPlugin, RelayPlugin, DrizzlePlugin, ZodPlugin],
  defaultFieldNullability: false,
  drizzle: {
    client: (ctx) => ctx.db,
    getTableConfig,
    relations,
    defaultConnectionSize: 20,
    maxConnectionSize: 100,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false, description: 'The results on this page, in order.' },
    nodeFieldOptions: { nullable: false, description: 'The result itself.' },
    // Descriptions for everything the Relay plugin generates, so the published SDL documents it too.
    idFieldOptions: { description: 'Opaque global id: pass it to `node(id:)` or to any field taking an ID.' },
    nodeTypeOptions: { description: 'An object with a global id that `node(id:)` can fetch.' },
    decodeGlobalID: decodeNodeId,
    nodeQueryOptions: {
      description:
        'The object with this global id, of any type, or null when there is none or you may not see it (the two are answered alike).',
      args: { id: { description: 'A global id, as returned in any `id` field.' } },
      extensions: readPlan({ kind: 'node' }),
      resolve: async (_root, { id }, ctx, _info, resolveNode) => {
        const node = await nullWhenMissing(resolveNode(id));
        return node !== null && isVisible(id.typename, node, ctx) ? node : null;
      },
    },
    // The contract has node(id:) only. The Drizzle plugin's batched loader also fails every
    // id of a nodes(ids:) call once one of them is missing, which would break its promise.
    nodesQueryOptions: false,
    pageInfoTypeOptions: {
      description: 'Where a page sits in the whole list, and the cursors to move from it.',
    },
    pageInfoFieldOptions: { description: 'Cursors and flags for fetching the neighbouring pages.' },
    hasNextPageFieldOptions: {
      description: 'True when more results follow this page (pass `endCursor` as `after`).',
    },
    hasPreviousPageFieldOptions: {
      description: 'True when results precede this page (pass `startCursor` as `before`).',
    },
    startCursorFieldOptions: {
      description: 'Cursor of the first result on this page; null when the page is empty.',
    },
    endCursorFieldOptions: {
      description: 'Cursor of the last result on this page; null when the page is empty.',
    },
    cursorFieldOptions: { description: 'Opaque position of this result, for `after` or `before`.' },
    firstArgOptions: { description: 'Return at most this many results from the start (after `after`).' },
    afterArgOptions: { description: 'Return results after this cursor (an `endCursor` or edge `cursor`).' },
    lastArgOptions: { description: 'Return at most this many results from the end (before `before`).' },
    beforeArgOptions: {
      description: 'Return results before this cursor (a `startCursor` or edge `cursor`).',
    },
    defaultConnectionTypeOptions: {
      description: 'One page of a list, with cursors to fetch the pages around it.',
    },
    defaultEdgeTypeOptions: { description: 'One result on a page, with the cursor that points at it.' },
  },
  scopeAuth: {
    authScopes: (ctx) => ({
      signedIn: ctx.viewer !== null,
      admin: ctx.viewer?.role === 'admin',
      writer: ctx.viewer !== null && (ctx.viewer.apiKey === undefined || ctx.viewer.apiKey.write),
      session: ctx.viewer !== null && ctx.viewer.apiKey === undefined,
    }),
    // Guests are told to sign in; signed-in viewers learn only that they may not.
    unauthorizedError: (_parent, ctx) => (ctx.viewer ? forbidden() : unauthenticated()),
  },
  zod: { validationError: zodValidationError },
});

builder.addScalarType('DateTime', StorableDateTime);
builder.addScalarType('Date', StorableDate);
builder.queryType({ description: 'Every read: the signed-in user, users, companies and acquisitions.' });
builder.mutationType({ description: 'Every write: accounts, API keys, companies and acquisitions.' });
builder.subscriptionType({
  description:
    'Live changes to companies and acquisitions, over Server-Sent Events or graphql-ws on /graphql. Public, like the reads.',
});
