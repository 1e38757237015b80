/**
 * The verified-token cache may skip a signature check only for the exact token it checked,
 * and answers it expired past its `exp`, as a fresh check would.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenService, type TokenService } from '../../src/auth/token.js';
import { rememberVerifiedTokens } from '../../src/auth/verified-tokens.js';

const config = { jwtSecret: 'a'.repeat(48), issuer: 'acquisitions-test', audience: 'acquisitions-test' };
const claims = { sessionId: '6f1c2d4e-8a9b-4c3d-9e0f-1a2b3c4d5e6f', userId: 7, generation: 0 };

/** The real token service, counting how often a signature is actually checked. */
function counted() {
  const tokens = createTokenService(config);
  const counter = { checks: 0 };
  const service: TokenService = {
    sign: (c, at) => tokens.sign(c, at),
    verify: (token) => {
      counter.checks += 1;
      return tokens.verify(token);
    },
  };
  return { service, counter };
}

afterEach(() => vi.useRealTimers());

describe('rememberVerifiedTokens', () => {
  it('checks a token once and answers its claims again without checking', async () => {
    const { service, counter } = counted();
    const cached = rememberVerifiedTokens(service);
    const token = await cached.sign(claims, new Date(Date.now() + 60_000));
    expect(await cached.verify(token)).toMatchObject({ ...claims, expired: false });
    expect(await cached.verify(token)).toMatchObject({ ...claims, expired: false });
    expect(counter.checks).toBe(1);
  });

  it('answers a remembered token expired once past its exp, as a fresh check does', async () => {
    const { service } = counted();
    const cached = rememberVerifiedTokens(service);
    const token = await cached.sign(claims, new Date(Date.now() + 60_000));
    expect(await cached.verify(token)).toMatchObject({ expired: false });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    expect(await cached.verify(token)).toMatchObject({ ...claims, expired: true });
    expect(await service.verify(token)).toMatchObject({ ...claims, expired: true });
  });

  it('does not remember refused tokens, and a changed signature is checked anew', async () => {
    const { service, counter } = counted();
    const cached = rememberVerifiedTokens(service);
    const token = await cached.sign(claims, new Date(Date.now() + 60_000));
    await cached.verify(token);
    // The signature's first character: all six of its bits are signature bits. The last one
    // carries two padding bits, and A -> B changes only those (1 run in 16 forged nothing).
    const at = token.lastIndexOf('.') + 1;
    const forged = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    expect(await cached.verify(forged)).toBeNull();
    expect(await cached.verify(forged)).toBeNull();
    expect(counter.checks).toBe(3);
  });

  it('stays within its bound', async () => {
    const { service, counter } = counted();
    const cached = rememberVerifiedTokens(service, 2);
    const expiresAt = new Date(Date.now() + 60_000);
    const tokens = await Promise.all(
      [1, 2, 3].map((userId) => cached.sign({ ...claims, userId }, expiresAt)),
    );
    for (const token of tokens) await cached.verify(token);
    // Full at the third: emptied, then the third remembered alone.
    await cached.verify(tokens[0]!);
    await cached.verify(tokens[2]!);
    expect(counter.checks).toBe(4);
  });
});
