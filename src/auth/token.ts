import { jwtVerify, SignJWT } from 'jose';
import type { Config } from '../config.js';

export type TokenConfig = Pick<Config['auth'], 'jwtSecret' | 'issuer' | 'audience'>;

export interface TokenClaims {
  /** The server-side session the token names. */
  sessionId: string;
  userId: number;
}

export interface TokenService {
  /** A JWT naming the session, valid until `expiresAt` (the session's own end). */
  sign(claims: TokenClaims, expiresAt: Date): Promise<string>;
  /** The token's claims, or null for anything not signed by us, expired, or malformed. */
  verify(token: string): Promise<TokenClaims | null>;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    sign: async ({ sessionId, userId }, expiresAt) =>
      new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(userId))
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(await key),

    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, await key, {
          algorithms: ['HS256'],
          issuer: config.issuer,
          audience: config.audience,
          requiredClaims: ['exp', 'iat', 'sub', 'sid'],
        });
        const userId = Number(payload.sub);
        // The session id goes into a uuid column: anything else would be a driver error, not a 401.
        if (typeof payload.sid !== 'string' || !uuid.test(payload.sid) || !Number.isSafeInteger(userId)) {
          return null;
        }
        return { sessionId: payload.sid, userId };
      } catch {
        return null;
      }
    },
  };
}
