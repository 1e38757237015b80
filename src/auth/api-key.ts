import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { apiKeys, users } from '../db/schema.js';
import { staleUseBefore } from './last-use.js';
import { accountColumns, type ViewerAccount } from './account.js';

/** Every secret starts with this, so secret scanners and the viewer plugin can recognise one. */
export const apiKeyPrefix = 'acq_';

const secretShape = /^acq_[A-Za-z0-9_-]{43}$/;

export interface ApiKeyViewer {
  userId: number;
  role: (typeof users.$inferSelect)['role'];
  apiKey: { id: number; write: boolean; trustedDocumentsOnly: boolean };
  account: ViewerAccount;
}

export interface GeneratedApiKey {
  /** Shown to the owner once, never stored. */
  secret: string;
  /** The first characters, stored and listed so owners can tell keys apart. */
  prefix: string;
  secretHash: string;
}

/** Secrets carry 256 random bits, so a fast hash is enough to store them safely. */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function generateApiKey(): GeneratedApiKey {
  const secret = `${apiKeyPrefix}${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, apiKeyPrefix.length + 8), secretHash: hashApiKeySecret(secret) };
}

export const looksLikeApiKey = (credential: string) => credential.startsWith(apiKeyPrefix);

/**
 * Whether requests with a key must name trusted documents: when it was created so, or when
 * the deployment holds every key to them (API_KEYS_TRUSTED_DOCUMENTS_ONLY).
 */
export const holdsToTrustedDocuments = (
  key: { trustedDocumentsOnly: boolean },
  auth: { apiKeysTrustedDocumentsOnly: boolean },
) => auth.apiKeysTrustedDocumentsOnly || key.trustedDocumentsOnly;

/** Keys that still authenticate at `now`: not revoked, not expired. */
export function liveApiKeys(now: Date): SQL | undefined {
  return and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)));
}

/**
 * The viewer an API key acts as, or null when the key is unknown, revoked or
 * expired. One query finds the key and its owner's current role.
 */
export async function viewerForApiKey(db: Database, secret: string): Promise<ApiKeyViewer | null> {
  if (!secretShape.test(secret)) return null;
  const now = new Date();
  const [row] = await db
    .select({
      id: apiKeys.id,
      write: apiKeys.write,
      trustedDocumentsOnly: apiKeys.trustedDocumentsOnly,
      lastUsedAt: apiKeys.lastUsedAt,
      account: accountColumns,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.secretHash, hashApiKeySecret(secret)), liveApiKeys(now)))
    .limit(1);
  if (!row) return null;

  const staleBefore = staleUseBefore(now);
  if (!row.lastUsedAt || row.lastUsedAt < staleBefore) {
    // The condition is repeated in SQL so concurrent requests do not all write.
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(
        and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))),
      );
  }
  return {
    userId: row.account.id,
    role: row.account.role,
    apiKey: { id: row.id, write: row.write, trustedDocumentsOnly: row.trustedDocumentsOnly },
    account: row.account,
  };
}
