/** Subscriptions over WebSocket (graphql-ws) on /graphql: the same events, rules and limits as SSE. */
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { companies } from '../../src/db/schema.js';
import { createAdmin, manyAccountsEnv, signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { globalId } from '../helpers/domain.js';
import { connectWs, subscribeSse, type WsConnection } from '../helpers/live.js';
import { parseMetrics, valueOf, type Sample } from '../helpers/prometheus.js';
import { waitFor } from '../helpers/wait.js';

let t: TestApp;
let admin: TestAccount;
let writer: TestAccount;
let acquirerId: string;
let targetId: string;
const connections: WsConnection[] = [];

beforeAll(async () => {
  t = await startTestApp({ ...manyAccountsEnv, CORS_ORIGINS: 'https://app.example.com' });
  admin = await createAdmin(t);
  writer = await signUp(t, { name: 'WS Writer' });
  const rows = await t.app.database.db
    .insert(companies)
    .values([{ name: 'WS Buyer' }, { name: 'WS Target' }])
    .returning({ id: companies.id });
  [acquirerId, targetId] = rows.map((row) => globalId('Company', row.id)) as [string, string];
});
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.dispose()));
  await waitFor(() => t.app.live.size === 0);
});
afterAll(() => t.close());

function connect(params: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const connection = connectWs(t.url, params, headers);
  connections.push(connection);
  return connection;
}

const deals =
  'subscription { acquisitionEvents { kind acquisition { target { name } createdBy { name } } } }';

async function createDeal() {
  const { body } = await t.gql(
    'mutation($input: CreateAcquisitionInput!) { createAcquisition(input: $input) { id } }',
    { input: { acquirerId, targetId, status: 'RUMORED' } },
    writer.headers,
  );
  expect(body.errors).toBeUndefined();
}

describe('graphql-ws', () => {
  it('delivers events, resolved for the viewer named in the connection params', async () => {
    const asAdmin = connect({ authorization: `Bearer ${admin.token}` }).subscribe(deals);
    const asGuest = connect().subscribe(deals);
    await waitFor(() => t.app.live.size === 2);
    await createDeal();
    expect((await asAdmin.next()).data).toEqual({
      acquisitionEvents: {
        kind: 'CREATED',
        acquisition: { target: { name: 'WS Target' }, createdBy: { name: 'WS Writer' } },
      },
    });
    expect((await asGuest.next()).data).toEqual({
      acquisitionEvents: { kind: 'CREATED', acquisition: { target: { name: 'WS Target' }, createdBy: null } },
    });
  });

  it('ends the stream with UNAUTHENTICATED when the session signs out', async () => {
    const user = await signUp(t);
    const live = connect({ authorization: `Bearer ${user.token}` }).subscribe(deals);
    await waitFor(() => t.app.live.size === 1);
    await t.gql('mutation { signOut }', {}, user.headers);
    expect((await live.next()).errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    await live.completed;
  });

  it('refuses a revoked or made-up credential with UNAUTHENTICATED', async () => {
    const live = connect({ authorization: 'Bearer not-a-token' }).subscribe(deals);
    expect((await live.next()).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('runs subscriptions only: queries and mutations go over HTTP', async () => {
    const live = connect().subscribe('{ companies(first: 1) { totalCount } }');
    const refusal = await live.next();
    expect(refusal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refusal.errors?.[0]?.message).toMatch(/over HTTP/);
  });

  it('applies the operation limits and masks the codes like HTTP', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: kind`).join(' ');
    const tooMany = connect().subscribe(`subscription { acquisitionEvents { ${aliases} } }`);
    expect((await tooMany.next()).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknownField = connect().subscribe('subscription { nope }');
    expect((await unknownField.next()).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a socket opened from a foreign page (its cookies would ride along)', async () => {
    const status = (origin: string) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
          headers: { origin },
        });
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('open', () => {
          resolve(101);
          ws.close();
        });
        ws.on('error', reject);
      });
    expect(await status('https://evil.example')).toBe(403);
    expect(await status('https://app.example.com')).toBe(101);
    expect(await status(t.url)).toBe(101);
  });

  it('are counted in /metrics: open by transport, events published and delivered', async () => {
    const scrape = async () => parseMetrics(await (await fetch(`${t.url}/metrics`)).text());
    const before = await scrape();
    const ws = connect().subscribe(deals);
    const sse = await subscribeSse(t.url, deals);
    try {
      await waitFor(() => t.app.live.size === 2);
      await createDeal();
      await ws.next();
      await sse.next();
      const after = await scrape();
      expect(valueOf(after, 'acquisitions_subscriptions_open', { transport: 'websocket' })).toBe(1);
      expect(valueOf(after, 'acquisitions_subscriptions_open', { transport: 'sse' })).toBe(1);
      const published = (samples: Sample[]) =>
        valueOf(samples, 'acquisitions_live_events_published_total', { type: 'acquisition' }) ?? 0;
      expect(published(after) - published(before)).toBe(1);
      const delivered = (samples: Sample[]) =>
        valueOf(samples, 'acquisitions_live_events_delivered_total', {}) ?? 0;
      expect(delivered(after) - delivered(before)).toBe(2);
    } finally {
      sse.close();
    }
  });

  it('refuses more sockets from one client address than SUBSCRIPTIONS_PER_VIEWER (429)', async () => {
    const upgrade = () =>
      new Promise<{ status: number; ws: WebSocket }>((resolve, reject) => {
        const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
        ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, ws }));
        ws.on('open', () => resolve({ status: 101, ws }));
        ws.on('error', reject);
      });
    const upgradeOnceFree = async () => {
      for (;;) {
        const attempt = await upgrade();
        if (attempt.status !== 429) return attempt;
        attempt.ws.terminate();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const opened = [];
    for (let i = 0; i < 10; i++) opened.push(await upgrade());
    expect(opened.map((o) => o.status)).toEqual(Array(10).fill(101));
    const refused = await upgrade();
    expect(refused.status).toBe(429);
    refused.ws.terminate();
    // Closing one frees its place (once the server has seen the close).
    opened[0]!.ws.close();
    const again = await upgradeOnceFree();
    expect(again.status).toBe(101);
    for (const { ws } of [...opened, again]) ws.terminate();
    // The next tests start with every place free.
    (await upgradeOnceFree()).ws.terminate();
  });

  it('completes the streams and closes the sockets (1001) on shutdown', async () => {
    const connection = connect({ authorization: `Bearer ${admin.token}` });
    const live = connection.subscribe(deals);
    await waitFor(() => t.app.live.size === 1);
    await t.app.stop();
    await live.completed;
    expect(await connection.closed).toBe(1001);
  });
});

describe('graphql-ws in production', () => {
  it('leaves "Did you mean …?" out of its errors, like HTTP', async () => {
    const production = await startTestApp({
      NODE_ENV: 'production',
      METRICS: 'false',
      MIGRATE_ON_START: 'true',
    });
    const connection = connectWs(production.url);
    try {
      const refusal = await connection.subscribe('subscription { acquisitionEvent { kind } }').next();
      expect(refusal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refusal.errors?.[0]?.message).toMatch(/Cannot query field "acquisitionEvent"/);
      expect(refusal.errors?.[0]?.message).not.toMatch(/Did you mean/);
    } finally {
      await connection.dispose();
      await production.close();
    }
  });
});
