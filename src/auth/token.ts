import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Config } from '../config.js';
import { isSessionId } from './session.js';

export type TokenConfig = Pick<Config['auth'], 'jwtSecret' | 'issuer' | 'audience'>;

export interface TokenClaims {
  /** The server-side session the token names. */
  sessionId: string;
  userId: number;
  /** The session's renewal the token was issued by (0: sign-in); absent in older tokens. */
  generation: number;
}

export interface VerifiedToken extends TokenClaims {
  issuedAt: Date;
  expiresAt: Date;
  /**
   * Past `exp`. Such a token still names its session for renewal (src/auth/session-renewal.ts)
   * and for nothing else.
   */
  expired: boolean;
}

export interface TokenService {
  /** A JWT naming the session, valid until `expiresAt`. */
  sign(claims: TokenClaims, expiresAt: Date): Promise<string>;
  /**
   * The claims of a token we signed, expired or not (see `expired`), or null for anything
   * not signed by us, for another issuer or audience, or malformed.
   */
  verify(token: string): Promise<VerifiedToken | null>;
}

/** HS256 JWTs; the algorithm is pinned on verification so `alg: none` and key confusion fail. */
export function createTokenService(config: TokenConfig): TokenService {
  // Imported once: given the raw bytes, jose imports a WebCrypto key on every sign and
  // verify: up to a third of each verification's CPU (bench/README.md).
  const key = crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(config.jwtSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );

  return {
    sign: async ({ sessionId, userId, generation }, expiresAt) =>
      new SignJWT({ sid: sessionId, gen: generation })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(userId))
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(await key),

    async verify(token) {
      let payload: JWTPayload;
      let expired = false;
      try {
        ({ payload } = await jwtVerify(token, await key, {
          algorithms: ['HS256'],
          issuer: config.issuer,
          audience: config.audience,
          requiredClaims: ['exp', 'iat', 'sub', 'sid'],
        }));
      } catch (error) {
        // jose checks `exp` last, after the signature, issuer and audience: the rest is sound.
        if (!(error instanceof errors.JWTExpired && error.claim === 'exp')) return null;
        payload = error.payload;
        expired = true;
      }
      return claimsOf(payload, expired);
    },
  };
}

function claimsOf(payload: JWTPayload, expired: boolean): VerifiedToken | null {
  const userId = Number(payload.sub);
  const generation = payload.gen ?? 0;
  // The session id goes into a uuid column: anything else would be a driver error, not a 401.
  if (
    typeof payload.sid !== 'string' ||
    !isSessionId(payload.sid) ||
    !Number.isSafeInteger(userId) ||
    typeof generation !== 'number' ||
    !Number.isInteger(generation) ||
    generation < 0 ||
    generation > 2_147_483_646 ||
    typeof payload.iat !== 'number' ||
    typeof payload.exp !== 'number'
  ) {
    return null;
  }
  return {
    sessionId: payload.sid,
    userId,
    generation,
    issuedAt: new Date(payload.iat * 1000),
    expiresAt: new Date(payload.exp * 1000),
    expired,
  };
}
