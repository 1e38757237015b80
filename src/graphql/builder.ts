import SchemaBuilder from '@pothos/core';
import DrizzlePlugin from '@pothos/plugin-drizzle';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ZodPlugin from '@pothos/plugin-zod';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { relations } from '../db/relations.js';
import type { Context } from './context.js';
import { forbidden, unauthenticated } from './errors.js';
import { zodValidationError } from './validation.js';

export interface AuthScopes {
  /** Any signed-in viewer (session or API key). */
  signedIn: boolean;
  admin: boolean;
  /** A viewer allowed to write: a session, or an API key created with write access. */
  writer: boolean;
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
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
  },
  scopeAuth: {
    authScopes: (ctx) => ({
      signedIn: ctx.viewer !== null,
      admin: ctx.viewer?.role === 'admin',
      writer: ctx.viewer !== null && (ctx.viewer.apiKey === undefined || ctx.viewer.apiKey.write),
    }),
    // Guests are told to sign in; signed-in viewers learn only that they may not.
    unauthorizedError: (_parent, ctx) => (ctx.viewer ? forbidden() : unauthenticated()),
  },
  zod: { validationError: zodValidationError },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('Date', DateResolver);
builder.queryType({ description: 'Reads.' });
