/**
 * Sliding sessions (issue 15): a session lives SESSION_IDLE_TTL past its last use and
 * SESSION_MAX_TTL in all, while its tokens stay short (TOKEN_TTL). Cookie sessions renew
 * themselves; bearer clients call refreshSession; a token superseded by a renewal is
 * refused once in-flight requests had their minute. Time is the app's own clock (JS Date),
 * faked here, so an hour passes without waiting for one.
 */
import { eq, sql } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sessions } from '../../src/db/schema.js';
import { manyAccountsEnv, signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app.js';

const minute = 60_000;
const tokenTtl = 15 * minute;
const idleTtl = 30 * minute;
const maxTtl = 2 * 60 * minute;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    ...manyAccountsEnv,
    TOKEN_TTL: '15m',
    SESSION_IDLE_TTL: '30m',
    SESSION_MAX_TTL: '2h',
  });
});
afterAll(() => t?.close());

// Only Date: timers stay real, so the database drivers and the server run as ever.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date());
});
afterEach(() => {
  vi.useRealTimers();
});

const advance = (ms: number) => vi.setSystemTime(new Date(Date.now() + ms));

const meQuery = '{ me { id } }';
const refreshMutation = 'mutation { refreshSession { token expiresAt sessionExpiresAt user { id } } }';

type RefreshData = {
  refreshSession: { token: string; expiresAt: string; sessionExpiresAt: string; user: { id: string } };
};

const codesOf = <T>(response: GraphQLResponse<T>) => response.body.errors?.map((e) => e.extensions?.code);

/** The token a Set-Cookie header gives ('' when it clears the cookie), or undefined when none. */
function cookieToken<T>(response: GraphQLResponse<T>): string | undefined {
  const header = response.headers.get('set-cookie');
  if (header === null) return undefined;
  const match = /^token=([^;]*);/.exec(header);
  if (!match) throw new Error(`unexpected Set-Cookie: ${header}`);
  return match[1];
}

/** A browser: sends its cookie, keeps whatever cookie the response sets. */
class Browser {
  constructor(public token: string) {}

  async gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) {
    const response = await t.gql<T>(query, variables, { cookie: `token=${this.token}` });
    const set = cookieToken(response);
    if (set !== undefined) this.token = set;
    return response;
  }
}

function expectSignedIn<T>(response: GraphQLResponse<T>, account: TestAccount) {
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data).toEqual({ me: { id: account.id } });
}

function expectRefused<T>(response: GraphQLResponse<T>) {
  expect(response.body.data ?? null).toBeNull();
  expect(codesOf(response)).toEqual(['UNAUTHENTICATED']);
}

const sessionRow = async (account: TestAccount) => {
  const [row] = await t.app.database.db.select().from(sessions).where(eq(sessions.userId, account.userId));
  if (!row) throw new Error('no session row');
  return row;
};

describe('cookie sessions', () => {
  it('renew the token cookie past half its life, and not before', async () => {
    const account = await signUp(t);
    const browser = new Browser(account.token);

    advance(5 * minute);
    const early = await browser.gql(meQuery);
    expectSignedIn(early, account);
    expect(early.headers.get('set-cookie')).toBeNull();

    advance(3 * minute); // 8 minutes: past half of 15
    const renewed = await browser.gql(meQuery);
    expectSignedIn(renewed, account);
    expect(browser.token).not.toBe(account.token);
    const claims = decodeJwt(browser.token);
    expect(claims.exp).toBe(Math.floor((Date.now() + tokenTtl) / 1000));
    expect(claims).toMatchObject({ sid: decodeJwt(account.token).sid, gen: 1 });
    expect(renewed.headers.get('set-cookie')).toMatch(/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);

    // The fresh token is not renewed again on the next request.
    advance(minute);
    const after = await browser.gql(meQuery);
    expectSignedIn(after, account);
    expect(after.headers.get('set-cookie')).toBeNull();
  });

  it('stay signed in for an hour when used every 10 minutes, recording the use', async () => {
    const account = await signUp(t);
    const browser = new Browser(account.token);
    for (let elapsed = 10; elapsed <= 60; elapsed += 10) {
      advance(10 * minute);
      expectSignedIn(await browser.gql(meQuery), account);
    }
    expect(decodeJwt(browser.token).gen).toBe(6);
    expect((await sessionRow(account)).lastUsedAt.getTime()).toBe(Date.now());
  });

  it('cost one statement per request: the use is written at most once a minute', async () => {
    const account = await signUp(t);
    const browser = new Browser(account.token);
    const statementsFor = async () => {
      const before = t.queries.length;
      expectSignedIn(await browser.gql(meQuery), account);
      return t.queries.slice(before);
    };
    advance(30_000);
    expect(await statementsFor()).toHaveLength(1);
    advance(31_000);
    const touched = await statementsFor();
    expect(touched).toHaveLength(2);
    expect(touched[1]).toMatch(/^update "sessions" set "last_used_at"/);
    expect(await statementsFor()).toHaveLength(1);
    expect((await sessionRow(account)).lastUsedAt.getTime()).toBe(Date.now());
  });

  it('renew an expired token while the session is within its idle timeout', async () => {
    const account = await signUp(t);
    const browser = new Browser(account.token);
    advance(29 * minute); // the token ended at 15
    expectSignedIn(await browser.gql(meQuery), account);
    expect(browser.token).not.toBe(account.token);
  });

  it('are refused once idle past SESSION_IDLE_TTL, and the cookie is cleared', async () => {
    const account = await signUp(t);
    const browser = new Browser(account.token);
    advance(10 * minute);
    expectSignedIn(await browser.gql(meQuery), account);

    advance(idleTtl + 1000);
    const refused = await browser.gql(meQuery);
    expectRefused(refused);
    expect(cookieToken(refused)).toBe('');
    expect(refused.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });

  it('end at SESSION_MAX_TTL however active, and no token outlives the session', async () => {
    const account = await signUp(t);
    const end = (await sessionRow(account)).expiresAt.getTime();
    expect(end).toBe(Date.now() + maxTtl);
    const browser = new Browser(account.token);
    for (let elapsed = 10; elapsed < 120; elapsed += 10) {
      advance(10 * minute);
      expectSignedIn(await browser.gql(meQuery), account);
    }
    // Renewed at 110 minutes: 15 more would pass the session's end.
    expect(decodeJwt(browser.token).exp).toBe(Math.floor(end / 1000));

    advance(10 * minute);
    const refused = await browser.gql(meQuery);
    expectRefused(refused);
    expect(cookieToken(refused)).toBe('');
  });

  it('renew once when parallel requests carry the same cookie, and serve them all', async () => {
    const account = await signUp(t);
    advance(10 * minute);
    const responses = await Promise.all(
      [1, 2, 3].map(() => t.gql(meQuery, {}, { cookie: `token=${account.token}` })),
    );
    for (const response of responses) expectSignedIn(response, account);
    expect(responses.filter((r) => cookieToken(r))).toHaveLength(1);
    expect((await sessionRow(account)).tokenGeneration).toBe(1);
  });

  it('refuse an old cookie replayed after its renewal, once the grace minute is over', async () => {
    const account = await signUp(t);
    const browser = new Browser(account.token);
    advance(10 * minute);
    expectSignedIn(await browser.gql(meQuery), account);
    const stolen = new Browser(account.token);

    // Still in flight: served, but not renewed.
    const inFlight = await stolen.gql(meQuery);
    expectSignedIn(inFlight, account);
    expect(inFlight.headers.get('set-cookie')).toBeNull();

    advance(minute + 1000);
    const replay = await stolen.gql(meQuery);
    expectRefused(replay);
    expect(cookieToken(replay)).toBe('');
    expectSignedIn(await browser.gql(meQuery), account);
  });
});

describe('refreshSession (bearer clients)', () => {
  it('returns a fresh token in the shape signIn does, valid TOKEN_TTL from now', async () => {
    const account = await signUp(t);
    advance(5 * minute);
    const refreshed = await t.gql<RefreshData>(refreshMutation, {}, account.headers);
    expect(refreshed.body.errors).toBeUndefined();
    const payload = refreshed.body.data!.refreshSession;
    expect(payload.user).toEqual({ id: account.id });
    expect(payload.token).not.toBe(account.token);
    expect(new Date(payload.expiresAt).getTime()).toBe(Math.floor((Date.now() + tokenTtl) / 1000) * 1000);
    expect(new Date(payload.sessionExpiresAt).getTime()).toBe(
      (await sessionRow(account)).expiresAt.getTime(),
    );
    expect(cookieToken(refreshed)).toBe(payload.token);
    expectSignedIn(await t.gql(meQuery, {}, { authorization: `Bearer ${payload.token}` }), account);
  });

  it('accepts an expired token for refreshSession alone, while the session is not idle', async () => {
    const account = await signUp(t);
    advance(20 * minute);
    const me = await t.gql(meQuery, {}, account.headers);
    expectRefused(me);
    expect(me.body.errors?.[0]?.message).toMatch(/refreshSession/);
    // Mixed with anything else, the expired token runs nothing.
    expectRefused(
      await t.gql('mutation { refreshSession { token } signOutEverywhere }', {}, account.headers),
    );

    const refreshed = await t.gql<RefreshData>(refreshMutation, {}, account.headers);
    expect(refreshed.body.errors).toBeUndefined();
    const fresh = { authorization: `Bearer ${refreshed.body.data!.refreshSession.token}` };
    expectSignedIn(await t.gql(meQuery, {}, fresh), account);

    advance(idleTtl + 1000);
    expectRefused(await t.gql(refreshMutation, {}, fresh));
  });

  it('lets an expired token sign its session out', async () => {
    const account = await signUp(t);
    advance(20 * minute);
    const out = await t.gql('mutation { signOut }', {}, account.headers);
    expect(out.body).toEqual({ data: { signOut: true } });
    expect((await sessionRow(account)).revokedAt).not.toBeNull();
    expectRefused(await t.gql(refreshMutation, {}, account.headers));
  });

  it('refuses the replaced token once the grace minute is over, and never refreshes it again', async () => {
    const account = await signUp(t);
    const refreshed = await t.gql<RefreshData>(refreshMutation, {}, account.headers);
    const fresh = { authorization: `Bearer ${refreshed.body.data!.refreshSession.token}` };

    // Requests under way with the old token still pass; a second refresh with it does not.
    expectSignedIn(await t.gql(meQuery, {}, account.headers), account);
    const again = await t.gql(refreshMutation, {}, account.headers);
    expectRefused(again);
    expect(again.body.errors?.[0]?.message).toMatch(/already renewed/);

    advance(minute + 1000);
    expectRefused(await t.gql(meQuery, {}, account.headers));
    expectRefused(await t.gql(refreshMutation, {}, account.headers));
    expectSignedIn(await t.gql(meQuery, {}, fresh), account);
  });

  it('is not for guests or API keys', async () => {
    const account = await signUp(t);
    const key = await createKey(account);
    expect(codesOf(await t.gql(refreshMutation))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await t.gql(refreshMutation, {}, { 'x-api-key': key }))).toEqual(['FORBIDDEN']);
  });
});

async function createKey(account: TestAccount): Promise<string> {
  const { body } = await t.gql<{ createApiKey: { secret: string } }>(
    'mutation { createApiKey(input: { name: "Partner", write: true }) { secret } }',
    {},
    account.headers,
  );
  const secret = body.data?.createApiKey.secret;
  if (!secret) throw new Error(`createApiKey failed: ${JSON.stringify(body.errors)}`);
  return secret;
}

const sessionsQuery = '{ sessions { id createdAt lastUsedAt expiresAt idleExpiresAt userAgent ip current } }';

interface SessionData {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  idleExpiresAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

const signInMutation = 'mutation($input: SignInInput!) { signIn(input: $input) { token } }';

/** Signs the account in again, as another device. */
async function signInAs(account: TestAccount, userAgent: string) {
  const { body } = await t.gql<{ signIn: { token: string } }>(
    signInMutation,
    { input: { email: account.email, password: account.password } },
    { 'user-agent': userAgent },
  );
  const token = body.data?.signIn.token;
  if (!token) throw new Error(`signIn failed: ${JSON.stringify(body.errors)}`);
  return { authorization: `Bearer ${token}` };
}

const listSessions = (headers: Record<string, string>) =>
  t.gql<{ sessions: SessionData[] }>(sessionsQuery, {}, headers);

describe('sessions, revokeSession and signOutEverywhere', () => {
  it('lists your live sessions, the current one marked, most recently used first', async () => {
    const account = await signUp(t);
    advance(2 * minute);
    const phone = await signInAs(account, 'Phone/1.0');
    const dead = await signInAs(account, 'Dead/1.0');
    await t.gql('mutation { signOut }', {}, dead);
    await signUp(t); // another account's session is not listed

    const { body } = await listSessions(phone);
    expect(body.errors).toBeUndefined();
    const list = body.data!.sessions;
    expect(list).toHaveLength(2);
    const [first, second] = list;
    expect(first).toMatchObject({ userAgent: 'Phone/1.0', current: true });
    expect(second).toMatchObject({ current: false });
    expect(new Date(first!.createdAt).getTime()).toBe(Date.now());
    expect(new Date(first!.expiresAt).getTime()).toBe(Date.now() + maxTtl);
    expect(new Date(first!.idleExpiresAt).getTime()).toBe(Date.now() + idleTtl);
    expect(new Date(second!.lastUsedAt).getTime()).toBe(Date.now() - 2 * minute);
    expect(Buffer.from(first!.id, 'base64').toString()).toMatch(/^Session:[0-9a-f-]{36}$/);
  });

  it('are for signed-in sessions only: guests are UNAUTHENTICATED, API keys FORBIDDEN', async () => {
    const account = await signUp(t);
    const key = { 'x-api-key': await createKey(account) };
    const [ownId] = (await listSessions(account.headers)).body.data!.sessions.map((s) => s.id);
    expect(codesOf(await t.gql(sessionsQuery))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await listSessions(key))).toEqual(['FORBIDDEN']);
    const revoke = await t.gql('mutation($id: ID!) { revokeSession(id: $id) { id } }', { id: ownId }, key);
    expect(codesOf(revoke)).toEqual(['FORBIDDEN']);
    expect(codesOf(await t.gql('mutation { signOutEverywhere }', {}, key))).toEqual(['FORBIDDEN']);
    // None of it touched the session.
    expectSignedIn(await t.gql(meQuery, {}, account.headers), account);
  });

  it('revokeSession ends one of your sessions at once', async () => {
    const account = await signUp(t);
    const laptop = await signInAs(account, 'Laptop/1.0');
    const laptopId = (await listSessions(laptop)).body.data!.sessions.find((s) => s.current)!.id;

    const revoked = await t.gql<{ revokeSession: SessionData }>(
      'mutation($id: ID!) { revokeSession(id: $id) { id userAgent current } }',
      { id: laptopId },
      account.headers,
    );
    expect(revoked.body.data).toEqual({
      revokeSession: { id: laptopId, userAgent: 'Laptop/1.0', current: false },
    });
    expect(revoked.headers.get('set-cookie')).toBeNull();
    expectRefused(await t.gql(meQuery, {}, laptop));
    expectSignedIn(await t.gql(meQuery, {}, account.headers), account);

    // Already ended: no longer one of your live sessions.
    const again = await t.gql(
      'mutation($id: ID!) { revokeSession(id: $id) { id } }',
      { id: laptopId },
      account.headers,
    );
    expect(codesOf(again)).toEqual(['NOT_FOUND']);
  });

  it("answers another user's session as a missing one: NOT_FOUND, and leaves it alone", async () => {
    const account = await signUp(t);
    const other = await signUp(t);
    const [otherId] = (await listSessions(other.headers)).body.data!.sessions.map((s) => s.id);
    const missingId = Buffer.from('Session:00000000-0000-4000-8000-000000000000').toString('base64');
    const revoke = (id: string) =>
      t.gql('mutation($id: ID!) { revokeSession(id: $id) { id } }', { id }, account.headers);

    const foreign = await revoke(otherId!);
    const missing = await revoke(missingId);
    expect(codesOf(foreign)).toEqual(['NOT_FOUND']);
    expect(foreign.body).toEqual(missing.body);
    expectSignedIn(await t.gql(meQuery, {}, other.headers), other);

    expect(codesOf(await revoke('not-an-id'))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await revoke(account.id))).toEqual(['BAD_USER_INPUT']);
  });

  it('revoking the current session clears the cookie', async () => {
    const account = await signUp(t);
    const browser = new Browser(account.token);
    const [ownId] = (await listSessions(account.headers)).body.data!.sessions.map((s) => s.id);
    const response = await browser.gql('mutation($id: ID!) { revokeSession(id: $id) { current } }', {
      id: ownId,
    });
    expect(response.body.data).toEqual({ revokeSession: { current: true } });
    expect(browser.token).toBe('');
    expectRefused(await t.gql(meQuery, {}, account.headers));
  });

  it('signOutEverywhere ends every session, the current one included, and clears the cookie', async () => {
    const account = await signUp(t);
    const phone = await signInAs(account, 'Phone/1.0');
    const key = { 'x-api-key': await createKey(account) };
    const browser = new Browser(account.token);

    const response = await browser.gql('mutation { signOutEverywhere }');
    expect(response.body).toEqual({ data: { signOutEverywhere: true } });
    expect(browser.token).toBe('');
    expectRefused(await t.gql(meQuery, {}, account.headers));
    expectRefused(await t.gql(meQuery, {}, phone));
    // API keys are not sessions.
    expectSignedIn(await t.gql(meQuery, {}, key), account);
  });
});

describe('a database refusing writes', () => {
  afterEach(async () => {
    await t.app.database.db.execute(sql`drop trigger if exists sessions_disk_full on sessions`);
  });

  it('still serves cookie sessions: the renewal waits for a later request', async () => {
    const account = await signUp(t);
    const browser = new Browser(account.token);
    // What Postgres raises when it cannot extend a file (SQLSTATE 53100).
    await t.app.database.db.execute(sql`
      create or replace function sessions_disk_full() returns trigger language plpgsql as $$
      begin raise exception 'could not extend file: No space left on device' using errcode = 'disk_full'; end $$`);
    await t.app.database.db.execute(
      sql`create trigger sessions_disk_full before update on sessions for each row execute function sessions_disk_full()`,
    );
    advance(20 * minute); // expired token, past the minute: a renewal is due
    const served = await browser.gql(meQuery);
    expectSignedIn(served, account);
    expect(served.headers.get('set-cookie')).toBeNull();
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'sessions: could not record a use or renewal; request served anyway',
      }),
    );

    await t.app.database.db.execute(sql`drop trigger sessions_disk_full on sessions`);
    const renewed = await browser.gql(meQuery);
    expectSignedIn(renewed, account);
    expect(cookieToken(renewed)).toBeTruthy();
  });
});
