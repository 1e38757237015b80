import { unavailabilityOf } from '../db/availability.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../logger.js';
import { tokenCookie } from './cookie.js';
import type { AuthServices } from './services.js';
import {
  recordSessionUse,
  renewSession,
  viewerForSession,
  type NewSession,
  type SessionViewer,
} from './session.js';
import type { VerifiedToken } from './token.js';

export interface IssuedToken {
  token: string;
  /** The token's own end: TOKEN_TTL away, never past the session's. */
  expiresAt: Date;
  /** The Set-Cookie value carrying it. */
  cookie: string;
}

/**
 * A token for the session's current generation. The cookie is kept until the session's
 * absolute end, not the token's: the browser keeps sending it, so an expired token can
 * still renew an idle-but-live session, and the server alone decides when it is dead
 * (then it refuses the request and clears the cookie).
 */
export async function issueSessionToken(
  auth: AuthServices,
  userId: number,
  session: NewSession,
  now = new Date(),
): Promise<IssuedToken> {
  // Whole seconds, as the JWT's `exp` holds it: the `expiresAt` a client is told is the token's own.
  const expiresAt = new Date(
    Math.floor(
      Math.min(now.getTime() + auth.config.tokenTtlSeconds * 1000, session.expiresAt.getTime()) / 1000,
    ) * 1000,
  );
  const token = await auth.tokens.sign(
    { sessionId: session.id, userId, generation: session.tokenGeneration },
    expiresAt,
  );
  // Rounded up: a cookie outliving its session by under a second is refused like any dead one.
  const cookieMaxAge = Math.max(0, Math.ceil((session.expiresAt.getTime() - now.getTime()) / 1000));
  return { token, expiresAt, cookie: tokenCookie(token, cookieMaxAge, auth.config.cookie) };
}

/** Past half its life: renewing then keeps a browser that is in use from ever meeting an expired token. */
function dueForRenewal(token: VerifiedToken, now: Date): boolean {
  const halfLife = (token.expiresAt.getTime() - token.issuedAt.getTime()) / 2;
  return token.expired || now.getTime() >= token.issuedAt.getTime() + halfLife;
}

export interface ResumedSession {
  viewer: SessionViewer & { token: { generation: number; expired: boolean } };
  /** A fresh token cookie the response must carry (cookie sessions past half their token's life). */
  cookie?: string;
}

/**
 * A session write the request can do without. A database refusing writes (full disk, read-only)
 * or too busy for them still serves signed-in reads: the use goes unrecorded, the renewal waits
 * for a later request; anything else (a bug) still fails the request.
 */
async function unlessUnavailable<T>(write: Promise<T>, logger: Logger): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    const reason = unavailabilityOf(error);
    if (!reason) throw error;
    logger.warn({ err: error, reason }, 'sessions: could not record a use or renewal; request served anyway');
    return undefined;
  }
}

/**
 * The viewer a session token stands for, or null when its session is dead (see
 * viewerForSession). Records the use (at most once a minute), and renews a cookie
 * session's token transparently once past half its life (or expired while the session
 * lives on). A bearer token past `exp` is returned marked expired: only refreshSession
 * accepts it (src/http/plugins/viewer.ts).
 */
export async function resumeSession(
  db: Database,
  auth: AuthServices,
  logger: Logger,
  token: VerifiedToken,
  fromCookie: boolean,
  now = new Date(),
): Promise<ResumedSession | null> {
  const viewer = await viewerForSession(db, token, auth.config.session, now);
  if (!viewer) return null;
  const superseded = token.generation !== viewer.session.tokenGeneration;
  const presented = (generation: number, expired: boolean) => ({ ...viewer, token: { generation, expired } });

  if (fromCookie && !superseded && dueForRenewal(token, now)) {
    const renewed = await unlessUnavailable(
      renewSession(db, viewer.sessionId, token.generation, auth.config.session, now),
      logger,
    );
    // Null: a parallel request with the same cookie renewed first, and its response carries the
    // new cookie; this one is served as in flight, within the superseded token's grace period.
    if (!renewed) return { viewer: presented(token.generation, false) };
    const issued = await issueSessionToken(auth, viewer.userId, renewed, now);
    return { viewer: presented(renewed.tokenGeneration, false), cookie: issued.cookie };
  }
  // A superseded cookie past `exp` is a parallel request that lost the race above: in flight too.
  const expired = token.expired && !fromCookie;
  if (!expired) await unlessUnavailable(recordSessionUse(db, viewer.session, now), logger);
  return { viewer: presented(token.generation, expired) };
}
