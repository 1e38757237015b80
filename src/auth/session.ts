import { and, desc, eq, gt, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { sessions, users } from '../db/schema.js';
import { staleUseBefore } from './last-use.js';
import { accountColumns, type ViewerAccount } from './account.js';
import type { TokenClaims } from './token.js';

/** How long a session lasts: SESSION_IDLE_TTL after its last use, SESSION_MAX_TTL in all. */
export interface SessionLifetimes {
  idleTtlSeconds: number;
  maxTtlSeconds: number;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a client-given value can be a session id: anything else would reach the uuid column as a driver error. */
export const isSessionId = (value: string) => uuid.test(value);

/**
 * How long a token superseded by a renewal keeps working: requests already under way with
 * it (a page's parallel requests, a retry) still pass; a copy replayed later does not.
 */
export const supersededTokenGraceMs = 60_000;

/** The session a token names, as the viewer check read it. */
export interface SessionState {
  id: string;
  /** The absolute end. */
  expiresAt: Date;
  lastUsedAt: Date;
  /** The generation current tokens carry; the presented token may be the one before. */
  tokenGeneration: number;
}

export interface SessionViewer {
  userId: number;
  role: (typeof users.$inferSelect)['role'];
  sessionId: string;
  account: ViewerAccount;
  session: SessionState;
}

export interface NewSession {
  id: string;
  expiresAt: Date;
  tokenGeneration: number;
}

/** Starts a server-side session; the token names it, so revoking it ends the token at once. */
export async function createSession(
  db: Database,
  userId: number,
  lifetimes: SessionLifetimes,
  client: { userAgent: string | null; ip: string | null },
  now = new Date(),
): Promise<NewSession> {
  const [row] = await db
    .insert(sessions)
    .values({
      userId,
      // The app's clock, not the database's: every validity check compares against it.
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + lifetimes.maxTtlSeconds * 1000),
      // Bounded: the header is client-controlled.
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip,
    })
    .returning({ id: sessions.id, expiresAt: sessions.expiresAt, tokenGeneration: sessions.tokenGeneration });
  if (!row) throw new Error('session insert returned no row');
  return row;
}

/** Sessions that still authenticate at `now`: not revoked, before their end, not idle too long. */
export function liveSessions(lifetimes: SessionLifetimes, now: Date) {
  return and(
    isNull(sessions.revokedAt),
    gt(sessions.expiresAt, now),
    gt(sessions.lastUsedAt, new Date(now.getTime() - lifetimes.idleTtlSeconds * 1000)),
  );
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
 * The viewer a verified token stands for, in one query joining the session to its user:
 * null when the session is revoked, past its end, idle past SESSION_IDLE_TTL, unknown, its
 * user is gone, or the token was superseded by a renewal more than a grace period ago.
 * The role comes from the database, so a change applies on the next request.
 */
export async function viewerForSession(
  db: Database,
  /** Without a generation: any token of the session (a stream checking its session still lives). */
  claims: Omit<TokenClaims, 'generation'> & { generation?: number },
  lifetimes: SessionLifetimes,
  now = new Date(),
): Promise<SessionViewer | null> {
  const [row] = await db
    .select({
      account: accountColumns,
      session: {
        id: sessions.id,
        expiresAt: sessions.expiresAt,
        lastUsedAt: sessions.lastUsedAt,
        tokenGeneration: sessions.tokenGeneration,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, claims.sessionId),
        eq(sessions.userId, claims.userId),
        liveSessions(lifetimes, now),
        claims.generation === undefined
          ? undefined
          : or(
              eq(sessions.tokenGeneration, claims.generation),
              and(
                eq(sessions.tokenGeneration, claims.generation + 1),
                gt(sessions.renewedAt, new Date(now.getTime() - supersededTokenGraceMs)),
              ),
            ),
      ),
    )
    .limit(1);
  if (!row) return null;
  return {
    userId: row.account.id,
    role: row.account.role,
    sessionId: row.session.id,
    account: row.account,
    session: row.session,
  };
}

/** Records a use of the session, at most once a minute (the condition, in SQL, keeps racing requests from all writing). */
export async function recordSessionUse(db: Database, session: SessionState, now = new Date()): Promise<void> {
  const staleBefore = staleUseBefore(now);
  if (session.lastUsedAt >= staleBefore) return;
  await db
    .update(sessions)
    .set({ lastUsedAt: now })
    .where(and(eq(sessions.id, session.id), lt(sessions.lastUsedAt, staleBefore)));
}

/**
 * Moves a live session to its next token generation, counting as a use. Conditional on
 * `fromGeneration`: of requests racing to renew with one token, one wins; the others get
 * null (their token stays good for the grace period, then only the winner's works).
 */
export async function renewSession(
  db: Database,
  sessionId: string,
  fromGeneration: number,
  lifetimes: SessionLifetimes,
  now = new Date(),
): Promise<NewSession | null> {
  const [row] = await db
    .update(sessions)
    .set({ tokenGeneration: sql`${sessions.tokenGeneration} + 1`, renewedAt: now, lastUsedAt: now })
    .where(
      and(
        eq(sessions.id, sessionId),
        eq(sessions.tokenGeneration, fromGeneration),
        liveSessions(lifetimes, now),
      ),
    )
    .returning({ id: sessions.id, expiresAt: sessions.expiresAt, tokenGeneration: sessions.tokenGeneration });
  return row ?? null;
}

/** What the owner of a session may see of it. */
const sessionListColumns = {
  id: sessions.id,
  createdAt: sessions.createdAt,
  lastUsedAt: sessions.lastUsedAt,
  expiresAt: sessions.expiresAt,
  userAgent: sessions.userAgent,
  ip: sessions.ip,
};

export type LiveSession = Pick<typeof sessions.$inferSelect, keyof typeof sessionListColumns>;

/** A user's live sessions, most recently used first. */
export function listLiveSessions(
  db: Database,
  userId: number,
  lifetimes: SessionLifetimes,
  now = new Date(),
): Promise<LiveSession[]> {
  return db
    .select(sessionListColumns)
    .from(sessions)
    .where(and(eq(sessions.userId, userId), liveSessions(lifetimes, now)))
    .orderBy(desc(sessions.lastUsedAt), desc(sessions.createdAt));
}

/** Revokes one of the user's live sessions; null when it is not one (gone, another's, already ended). */
export async function revokeOwnSession(
  db: Database,
  userId: number,
  sessionId: string,
  lifetimes: SessionLifetimes,
  now = new Date(),
): Promise<LiveSession | null> {
  const [row] = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), liveSessions(lifetimes, now)))
    .returning(sessionListColumns);
  return row ?? null;
}
