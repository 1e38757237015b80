import { decodeJwt } from 'jose';
import type { TokenClaims, TokenService } from './token.js';

interface Verified {
  claims: TokenClaims;
  /** The token's `exp`, in milliseconds. */
  expiresAt: number;
}

/**
 * Tokens verified lately. A signed-in client sends the same token on every request, and
 * checking its HS256 signature through WebCrypto (a job on the libuv pool, a promise, the
 * key's algorithm normalised again) was a fifth of the Node CPU of a `me` request
 * (bench/README.md). Bounded like the statement caches: emptied when full, the tokens in
 * use come back at once.
 */
export const maxVerifiedTokens = 10_000;

/**
 * `tokens`, remembering each token it accepted until that token's own expiry. Only what
 * the signature check accepted is kept, so unverifiable tokens cannot fill the cache, and
 * a hit is the exact string that was verified. The session each token names is still
 * looked up on every request (src/auth/session.ts): revocation is not cached.
 */
export function rememberVerifiedTokens(tokens: TokenService, max: number = maxVerifiedTokens): TokenService {
  const verified = new Map<string, Verified>();
  return {
    sign: (claims, expiresAt) => tokens.sign(claims, expiresAt),
    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (Date.now() < known.expiresAt) return known.claims;
        verified.delete(token);
        return null;
      }
      const claims = await tokens.verify(token);
      if (!claims) return null;
      // verify() required `exp`; decoding again is a base64 and a JSON.parse.
      const { exp } = decodeJwt(token);
      if (typeof exp !== 'number') return claims;
      if (verified.size >= max) verified.clear();
      verified.set(token, { claims, expiresAt: exp * 1000 });
      return claims;
    },
  };
}
