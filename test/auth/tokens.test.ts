/**
 * Attacks on session tokens, through HTTP: every forged, stale or orphaned
 * credential is refused with UNAUTHENTICATED, never served as a guest.
 */
import { eq, sql } from 'drizzle-orm';
import { decodeJwt, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions, users } from '../../src/db/schema.js';
import { createAdmin, manyAccountsEnv, signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let secret: Uint8Array;
beforeAll(async () => {
  t = await startTestApp(manyAccountsEnv);
  secret = new TextEncoder().encode(t.app.config.auth.jwtSecret);
});
afterAll(() => t.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function meWith(headers: Record<string, string>) {
  const { status, body, headers: responseHeaders } = await t.gql('{ me { id role } }', {}, headers);
  return { status, body, setCookie: responseHeaders.get('set-cookie') };
}

async function expectRefused(headers: Record<string, string>) {
  const { body } = await meWith(headers);
  expect(body.data ?? null).toBeNull();
  expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
}

/** A token signed with the service's own secret, with the claims given. */
function sign(claims: JWTPayload, options: { issuer?: string; audience?: string; expiresAt?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(options.issuer ?? t.app.config.auth.issuer)
    .setAudience(options.audience ?? t.app.config.auth.audience)
    .setIssuedAt(now - 60)
    .setExpirationTime(options.expiresAt ?? now + 600)
    .sign(secret);
}

describe('a valid token', () => {
  it('works as a bearer token and as the token cookie, and names a session', async () => {
    const account = await signUp(t);
    expect((await meWith(account.headers)).body.data).toEqual({ me: { id: account.id, role: 'USER' } });
    expect((await meWith({ cookie: `theme=dark; token=${account.token}` })).body.data).toEqual({
      me: { id: account.id, role: 'USER' },
    });
    const claims = decodeJwt(account.token);
    expect(claims).toMatchObject({
      iss: t.app.config.auth.issuer,
      aud: t.app.config.auth.audience,
      sub: String(account.userId),
      sid: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // The role is not in the token: it is read from the database on each request.
    expect(claims).not.toHaveProperty('role');
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(t.app.config.auth.tokenTtlSeconds);
  });

  it('a request with no credential is a guest', async () => {
    expect((await meWith({})).body).toEqual({ data: { me: null } });
  });
});

describe('forged and broken tokens', () => {
  let account: TestAccount;
  let claims: JWTPayload;
  beforeAll(async () => {
    account = await signUp(t);
    claims = { sid: decodeJwt(account.token).sid, sub: String(account.userId) };
  });

  it('accepts a token the test signs itself (so the refusals below are about one flaw each)', async () => {
    expect((await meWith(bearer(await sign(claims)))).body.data).toEqual({
      me: { id: account.id, role: 'USER' },
    });
  });

  it('refuses an expired token', async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    await expectRefused(bearer(await sign(claims, { expiresAt: past })));
  });

  it('refuses a tampered payload', async () => {
    const admin = await createAdmin(t);
    const [header, , signature] = account.token.split('.');
    const payload = Buffer.from(
      JSON.stringify({ ...decodeJwt(account.token), sub: String(admin.userId) }),
    ).toString('base64url');
    await expectRefused(bearer(`${header}.${payload}.${signature}`));
  });

  it('refuses a tampered signature', async () => {
    const flipped = account.token.slice(0, -2) + (account.token.endsWith('AA') ? 'BB' : 'AA');
    await expectRefused(bearer(flipped));
  });

  it('refuses alg: none', async () => {
    const unsigned = new UnsecuredJWT(claims)
      .setIssuer(t.app.config.auth.issuer)
      .setAudience(t.app.config.auth.audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .encode();
    await expectRefused(bearer(unsigned));
  });

  it('refuses a token signed with another secret', async () => {
    const other = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(t.app.config.auth.issuer)
      .setAudience(t.app.config.auth.audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode('another-secret-that-is-at-least-32-characters'));
    await expectRefused(bearer(other));
  });

  it('refuses a wrong issuer or audience', async () => {
    await expectRefused(bearer(await sign(claims, { issuer: 'someone-else' })));
    await expectRefused(bearer(await sign(claims, { audience: 'another-api' })));
  });

  it('refuses a token without a session, or naming an unknown one', async () => {
    await expectRefused(bearer(await sign({ sub: claims.sub })));
    await expectRefused(bearer(await sign({ ...claims, sid: '00000000-0000-4000-8000-000000000000' })));
    await expectRefused(bearer(await sign({ ...claims, sid: 'not-a-uuid' })));
  });

  it("refuses a session presented with another user's id", async () => {
    const other = await signUp(t);
    await expectRefused(bearer(await sign({ ...claims, sub: String(other.userId) })));
  });

  it('refuses garbage and non-Bearer schemes', async () => {
    await expectRefused(bearer('not.a.jwt'));
    await expectRefused({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
    await expectRefused({ authorization: 'Bearer' });
  });
});

describe('tokens outlived by their session', () => {
  it('stops working after signOut, even when replayed', async () => {
    const account = await signUp(t);
    const out = await t.gql('mutation { signOut }', {}, account.headers);
    expect(out.body.data).toEqual({ signOut: true });
    await expectRefused(account.headers);
    await expectRefused({ cookie: `token=${account.token}` });
  });

  it('stops working when the session expires in the database, whatever the token says', async () => {
    const account = await signUp(t);
    await t.app.database.db
      .update(sessions)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(sessions.userId, account.userId));
    await expectRefused(account.headers);
  });

  it('stops working once its user is deleted', async () => {
    const account = await signUp(t);
    await t.app.database.db.delete(users).where(eq(users.id, account.userId));
    await expectRefused(account.headers);
  });

  it('follows a role change on the next request', async () => {
    const account = await signUp(t);
    const listUsers = () => t.gql('{ users(first: 1) { totalCount } }', {}, account.headers);
    expect((await listUsers()).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await t.app.database.db.update(users).set({ role: 'admin' }).where(eq(users.id, account.userId));
    expect((await listUsers()).body.errors).toBeUndefined();
    await t.app.database.db.update(users).set({ role: 'user' }).where(eq(users.id, account.userId));
    expect((await listUsers()).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('credential precedence and stale cookies', () => {
  it('clears a stale token cookie while refusing the request', async () => {
    const account = await signUp(t);
    await t.gql('mutation { signOut }', {}, account.headers);
    const { body, setCookie } = await meWith({ cookie: `token=${account.token}` });
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(setCookie).toMatch(/^token=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/);
  });

  it('uses an explicit Authorization header over the cookie', async () => {
    const account = await signUp(t);
    const { body } = await meWith({ ...account.headers, cookie: 'token=stale-garbage' });
    expect(body.data).toEqual({ me: { id: account.id, role: 'USER' } });
  });
});
