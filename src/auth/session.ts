import { and, eq, gt, isNull, ne } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { sessions, users } from '../db/schema.js';
import { accountColumns, type ViewerAccount } from './account.js';
import type { TokenClaims } from './token.js';

export interface SessionViewer {
  userId: number;
  role: (typeof users.$inferSelect)['role'];
  sessionId: string;
  account: ViewerAccount;
}

export interface NewSession {
  id: string;
  expiresAt: Date;
}

/** Starts a server-side session; the token names it, so revoking it ends the token at once. */
export async function createSession(
  db: Database,
  userId: number,
  ttlSeconds: number,
  client: { userAgent: string | null; ip: string | null },
): Promise<NewSession> {
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const [row] = await db
    .insert(sessions)
    // Bounded: the header is client-controlled.
    .values({ userId, expiresAt, userAgent: client.userAgent?.slice(0, 512) ?? null, ip: client.ip })
    .returning({ id: sessions.id, expiresAt: sessions.expiresAt });
  if (!row) throw new Error('session insert returned no row');
  return row;
}

export async function revokeSession(db: Database, sessionId: string): Promise<boolean> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length > 0;
}

/** Revokes every live session of a user, except the one given (the caller's own). */
export async function revokeUserSessions(db: Database, userId: number, exceptSessionId?: string) {
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        exceptSessionId ? ne(sessions.id, exceptSessionId) : undefined,
      ),
    );
}

/**
 * The viewer a verified token stands for, in one query joining the session to
 * its user: null when the session is revoked, expired, unknown, or its user is
 * gone. The role comes from the database, so a change applies on the next request.
 */
export async function viewerForSession(db: Database, claims: TokenClaims): Promise<SessionViewer | null> {
  const [row] = await db
    .select(accountColumns)
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, claims.sessionId),
        eq(sessions.userId, claims.userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, new Date()),
      ),
    )
    .limit(1);
  return row ? { userId: row.id, role: row.role, sessionId: claims.sessionId, account: row } : null;
}
