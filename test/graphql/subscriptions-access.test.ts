/** Who may keep a subscription open: revocation, caps, keep-alive and shutdown. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { companies, sessions } from '../../src/db/schema.js';
import { createAdmin, manyAccountsEnv, signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { globalId } from '../helpers/domain.js';
import { subscribeSse, type LiveSubscription } from '../helpers/live.js';
import { waitFor } from '../helpers/wait.js';

let t: TestApp;
let admin: TestAccount;
let companyId: string;
const open: LiveSubscription[] = [];

beforeAll(async () => {
  t = await startTestApp({
    ...manyAccountsEnv,
    SUBSCRIPTIONS_PER_VIEWER: '2',
    SUBSCRIPTIONS_MAX: '5',
    SUBSCRIPTIONS_KEEP_ALIVE_MS: '200',
    SUBSCRIPTIONS_RECHECK_INTERVAL: '1s',
  });
  admin = await createAdmin(t);
  const [row] = await t.app.database.db.insert(companies).values({ name: 'Watched' }).returning();
  companyId = globalId('Company', row!.id);
});
afterEach(async () => {
  for (const subscription of open.splice(0)) subscription.close();
  // The next test starts with no subscription held.
  await waitFor(() => t.app.live.size === 0);
});
afterAll(() => t.close());

const deals = 'subscription { acquisitionEvents { kind } }';

async function subscribe(headers: Record<string, string> = {}, query = deals) {
  const subscription = await subscribeSse(t.url, query, {}, headers);
  open.push(subscription);
  return subscription;
}

async function expectEndsUnauthenticated(live: LiveSubscription) {
  const last = await live.next();
  expect(last.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  await live.completed;
}

describe('revocation', () => {
  it('ends the stream of a session that signs out, with UNAUTHENTICATED', async () => {
    const user = await signUp(t);
    const live = await subscribe(user.headers);
    const other = await subscribe(admin.headers);
    const out = await t.gql('mutation { signOut }', {}, user.headers);
    expect(out.body.data).toEqual({ signOut: true });
    await expectEndsUnauthenticated(live);
    // Someone else's stream goes on.
    expect(t.app.live.size).toBe(1);
    expect(other.status).toBe(200);
  });

  it('ends the stream of an API key when the key is revoked', async () => {
    const user = await signUp(t);
    const created = await t.gql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
      'mutation { createApiKey(input: { name: "feed" }) { secret apiKey { id } } }',
      {},
      user.headers,
    );
    const key = created.body.data!.createApiKey;
    const live = await subscribe({ 'x-api-key': key.secret });
    const revoked = await t.gql(
      'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }',
      { id: key.apiKey.id },
      user.headers,
    );
    expect(revoked.body.errors).toBeUndefined();
    await expectEndsUnauthenticated(live);
  });

  it('ends the stream of an admin who is demoted (admin-only fields would leak otherwise)', async () => {
    const second = await createAdmin(t);
    const live = await subscribe(second.headers);
    const demoted = await t.gql(
      'mutation($id: ID!) { updateUser(id: $id, input: { role: USER }) { role } }',
      { id: second.id },
      admin.headers,
    );
    expect(demoted.body.data).toEqual({ updateUser: { role: 'USER' } });
    await expectEndsUnauthenticated(live);
  });

  it('ends a stream whose session was revoked without a word to the service (periodic re-check)', async () => {
    const user = await signUp(t);
    const live = await subscribe(user.headers);
    // Straight in the database: no access event is published, only the re-check can notice.
    await t.app.database.db
      .update(sessions)
      .set({ revokedAt: new Date() })
      .where(eq(sessions.userId, user.userId));
    await expectEndsUnauthenticated(live);
  });

  it('keeps a cookie stream open after the browser renewed its cookie, and counts it as use', async () => {
    const user = await signUp(t);
    const live = await subscribe({ cookie: `token=${user.token}` });
    // As if the page renewed the cookie on another request long ago: the stream's token is
    // superseded past its grace period, and the session has not been used for two minutes.
    const longAgo = new Date(Date.now() - 120_000);
    await t.app.database.db
      .update(sessions)
      .set({ tokenGeneration: 1, renewedAt: longAgo, lastUsedAt: longAgo })
      .where(eq(sessions.userId, user.userId));
    // The periodic re-check records the open stream as a use of the session …
    await expect
      .poll(async () => {
        const [row] = await t.app.database.db
          .select({ lastUsedAt: sessions.lastUsedAt })
          .from(sessions)
          .where(eq(sessions.userId, user.userId));
        return row!.lastUsedAt.getTime();
      })
      .toBeGreaterThan(longAgo.getTime());
    // … without renewing it (that would supersede the browser's cookie) or ending the stream.
    const [session] = await t.app.database.db
      .select({ tokenGeneration: sessions.tokenGeneration })
      .from(sessions)
      .where(eq(sessions.userId, user.userId));
    expect(session!.tokenGeneration).toBe(1);
    const [target] = await t.app.database.db
      .insert(companies)
      .values({ name: 'Bought meanwhile' })
      .returning();
    const created = await t.gql(
      'mutation($input: CreateAcquisitionInput!) { createAcquisition(input: $input) { id } }',
      { input: { acquirerId: companyId, targetId: globalId('Company', target!.id), status: 'RUMORED' } },
      admin.headers,
    );
    expect(created.body.errors).toBeUndefined();
    expect((await live.next()).data).toEqual({ acquisitionEvents: { kind: 'CREATED' } });
  });

  it('refuses to start with a revoked credential', async () => {
    const user = await signUp(t);
    await t.gql('mutation { signOut }', {}, user.headers);
    const live = await subscribe(user.headers);
    expect((await live.next()).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('caps', () => {
  it('refuses a viewer past SUBSCRIPTIONS_PER_VIEWER with RATE_LIMITED, and frees a slot on close', async () => {
    const user = await signUp(t);
    const first = await subscribe(user.headers);
    await subscribe(user.headers);
    const third = await subscribe(user.headers);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    expect((await third.next()).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Another account is not affected.
    expect((await subscribe(admin.headers)).status).toBe(200);

    first.close();
    await waitFor(() => t.app.live.size === 2);
    expect((await subscribe(user.headers)).status).toBe(200);
  });

  it('counts guests by client IP', async () => {
    await subscribe();
    await subscribe();
    const third = await subscribe();
    expect((await third.next()).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('refuses anyone past SUBSCRIPTIONS_MAX with SERVICE_UNAVAILABLE', async () => {
    const users = await Promise.all([signUp(t), signUp(t)]);
    for (const user of users) {
      await subscribe(user.headers);
      await subscribe(user.headers);
    }
    await subscribe(admin.headers);
    const sixth = await subscribe();
    expect(sixth.status).toBe(503);
    expect((await sixth.next()).errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
  });
});

describe('operation limits', () => {
  it('apply to subscription documents', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: kind`).join(' ');
    const live = await subscribe({}, `subscription { acquisitionEvents { ${aliases} } }`);
    const refusal = await live.next();
    expect(refusal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refusal.errors?.[0]?.message).toMatch(/alias/i);
    expect(t.app.live.size).toBe(0);
  });
});

describe('keep-alive and shutdown', () => {
  it('sends keep-alive comments on an idle stream', async () => {
    const live = await subscribe({}, `subscription { companyEvents(id: "${companyId}") { __typename } }`);
    // SUBSCRIPTIONS_KEEP_ALIVE_MS=200 here (12 s by default), after the one it opens with.
    await waitFor(() => live.pings() >= 2);
  });

  it('completes open streams on shutdown instead of cutting them', async () => {
    const live = await subscribe(admin.headers);
    await t.app.stop();
    await live.completed;
    expect(t.app.live.size).toBe(0);
  });
});
