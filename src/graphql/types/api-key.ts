import { and, count, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { nameRule } from '../../auth/account-rules.js';
import { generateApiKey, holdsToTrustedDocuments, liveApiKeys } from '../../auth/api-key.js';
import type { Database } from '../../db/client.js';
import { apiKeys, users } from '../../db/schema.js';
import { builder } from '../builder.js';
import { AppError, notFound } from '../errors.js';
import { requireRowId } from '../global-id.js';
import { visibility } from '../node-visibility.js';
import { ownsOrAdmin } from '../ownership.js';
import { signedInViewer } from '../viewer.js';

type ApiKeyRow = typeof apiKeys.$inferSelect;

const visibleKey = visibility<ApiKeyRow>('ApiKey', (key, ctx) => ownsOrAdmin(ctx, key.userId));

export const ApiKey = builder.drizzleNode('apiKeys', {
  name: 'ApiKey',
  description:
    'A credential for partner systems, sent as `x-api-key: <secret>` or `Authorization: Bearer <secret>`. The secret itself is never shown again after creation.',
  id: { column: (key) => key.id, description: 'Opaque global id.' },
  // Visible to its owner (and admins), through any field, `node(id:)` included.
  authScopes: (key, ctx) => visibleKey(key, ctx),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'What the owner calls this key.' }),
    prefix: t.exposeString('prefix', {
      description:
        'The first characters of the secret, to tell keys apart (e.g. in logs of the partner system).',
    }),
    write: t.exposeBoolean('write', {
      description: 'True when the key may call mutations; otherwise it is read-only (FORBIDDEN on writes).',
    }),
    trustedDocumentsOnly: t.boolean({
      description:
        'True when requests with the key must name a trusted document (`documentId`, see schema/persisted-documents.json); any other request is FORBIDDEN. True for every key while the deployment requires it (API_KEYS_TRUSTED_DOCUMENTS_ONLY), whatever the key was created with.',
      // The rule in force, not only the stored choice: what a partner's requests will meet.
      resolve: (key, _args, ctx) => holdsToTrustedDocuments(key, ctx.auth.config),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the key was created.' }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the key stops working; null for never.',
    }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'When the key last authenticated a request (updated at most once a minute); null if never.',
    }),
    revokedAt: t.expose('revokedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the key was revoked; null while it is active.',
    }),
  }),
});

interface CreatedApiKeyShape {
  apiKey: ApiKeyRow;
  secret: string;
}

const CreatedApiKey = builder.objectRef<CreatedApiKeyShape>('CreatedApiKey').implement({
  description: 'A new key and its secret. Store the secret now: it is not kept and cannot be shown again.',
  fields: (t) => ({
    apiKey: t.field({ type: ApiKey, description: 'The new key.', resolve: (created) => created.apiKey }),
    secret: t.exposeString('secret', {
      description: 'The secret to send with requests; shown only this once.',
    }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  description: 'A new API key for the signed-in user.',
  fields: (t) => ({
    name: t.string({
      required: true,
      description: 'What to call the key, 2–255 characters.',
      validate: { schema: nameRule },
    }),
    expiresAt: t.field({
      type: 'DateTime',
      description: 'When the key should stop working (in the future); omit for a key that does not expire.',
      validate: { schema: z.date().refine((date) => date > new Date(), 'must be in the future') },
    }),
    write: t.boolean({
      defaultValue: false,
      description: 'Allow mutations with this key. Defaults to false: read-only.',
    }),
    trustedDocumentsOnly: t.boolean({
      defaultValue: false,
      description:
        'Hold the key to the trusted documents: its requests must send a `documentId` (schema/persisted-documents.json), never a query text. Defaults to false.',
    }),
  }),
});

/**
 * Inside a transaction: refuses when `userId` already holds `max` live keys. Locking the
 * owner's row makes concurrent createApiKey calls of one account count one after the
 * other, so none of them can slip past the cap.
 */
async function assertKeyAllowance(tx: Database, userId: number, max: number): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
  const [live] = await tx
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), liveApiKeys(new Date())));
  if ((live?.n ?? 0) >= max) {
    throw new AppError(
      'CONFLICT',
      `This account already has ${max} live API keys, the most it may hold: revoke one first`,
      { limit: max },
    );
  }
}

builder.queryField('apiKeys', (t) =>
  t.drizzleField({
    type: [ApiKey],
    description: 'Your API keys, newest first, revoked and expired ones included.',
    authScopes: { signedIn: true },
    resolve: (query, _root, _args, ctx) =>
      ctx.db.query.apiKeys.findMany(
        query({ where: { userId: signedInViewer(ctx).userId }, orderBy: { createdAt: 'desc', id: 'desc' } }),
      ),
  }),
);

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: CreatedApiKey,
    description:
      'Creates an API key acting as you. Needs a signed-in session: a key cannot mint further keys. An account holds at most API_KEYS_PER_ACCOUNT (default 10) live keys; beyond that this is a CONFLICT until one is revoked or expires. The secret is returned once.',
    args: { input: t.arg({ type: CreateApiKeyInput, required: true, description: 'The new key.' }) },
    // A leaked key can neither make itself permanent nor mint more.
    authScopes: { session: true },
    resolve: async (_root, { input }, ctx) => {
      const { userId } = signedInViewer(ctx);
      const { secret, prefix, secretHash } = generateApiKey();
      const apiKey = await ctx.db.transaction(async (tx) => {
        await assertKeyAllowance(tx, userId, ctx.auth.config.apiKeysPerAccount);
        const [row] = await tx
          .insert(apiKeys)
          .values({
            userId,
            name: input.name,
            prefix,
            secretHash,
            write: input.write ?? false,
            trustedDocumentsOnly: input.trustedDocumentsOnly ?? false,
            expiresAt: input.expiresAt ?? null,
          })
          .returning();
        return row;
      });
      if (!apiKey) throw new Error('api key insert returned no row');
      return { apiKey, secret };
    },
  }),
);

builder.mutationField('revokeApiKey', (t) =>
  t.drizzleField({
    type: ApiKey,
    description:
      'Revokes one of your API keys (admins: anyone’s) at once; requests with it get UNAUTHENTICATED. Revoking a revoked key returns it unchanged. Needs a signed-in session: FORBIDDEN for API keys.',
    args: { id: t.arg.id({ required: true, description: 'The key’s global id.' }) },
    authScopes: { session: true },
    resolve: async (query, _root, args, ctx) => {
      const id = requireRowId(args.id, 'ApiKey', 'id');
      const viewer = signedInViewer(ctx);
      // Other users' keys are NOT_FOUND, not FORBIDDEN: whether an id exists is nobody else's business.
      const ownerFilter = viewer.role === 'admin' ? {} : { userId: viewer.userId };
      const revoked = await ctx.db
        .update(apiKeys)
        .set({ revokedAt: new Date() })
        .where(
          and(
            eq(apiKeys.id, id),
            viewer.role === 'admin' ? undefined : eq(apiKeys.userId, viewer.userId),
            isNull(apiKeys.revokedAt),
          ),
        )
        .returning({ userId: apiKeys.userId });
      for (const { userId } of revoked) ctx.live.accessChanged(userId);
      const key = await ctx.db.query.apiKeys.findFirst(query({ where: { id, ...ownerFilter } }));
      if (!key) throw notFound('API key');
      return key;
    },
  }),
);
