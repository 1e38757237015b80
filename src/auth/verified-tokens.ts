import type { TokenService, VerifiedToken } from './token.js';

/**
 * Tokens verified lately. A signed-in client sends the same token on every request, and
 * checking its HS256 signature through WebCrypto (a job on the libuv pool, a promise, the
 * key's algorithm normalised again) was a fifth of the Node CPU of a `me` request
 * (bench/README.md). Bounded like the statement caches: emptied when full, the tokens in
 * use come back at once.
 */
export const maxVerifiedTokens = 10_000;

/**
 * `tokens`, remembering each token it accepted. Only what the signature check accepted is
 * kept, so unverifiable tokens cannot fill the cache, and a hit is the exact string that was
 * verified; past the token's own `exp` a hit answers it `expired`, as a fresh check would
 * (such a token may only renew its session). The session each token names is still looked
 * up on every request (src/auth/session.ts): revocation is not cached.
 */
export function rememberVerifiedTokens(tokens: TokenService, max: number = maxVerifiedTokens): TokenService {
  const verified = new Map<string, VerifiedToken>();
  return {
    sign: (claims, expiresAt) => tokens.sign(claims, expiresAt),
    async verify(token) {
      const known = verified.get(token);
      if (known) return { ...known, expired: Date.now() >= known.expiresAt.getTime() };
      const claims = await tokens.verify(token);
      if (!claims) return null;
      if (verified.size >= max) verified.clear();
      verified.set(token, claims);
      return claims;
    },
  };
}
