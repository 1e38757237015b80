/**
 * A Redis that keeps its connection but stops answering (issue 14, item 9): after one
 * command times out (commandTimeout, a second) the rate limits fail fast instead of every
 * request waiting that second, and /health reports Redis. The service reaches the local
 * Redis through a TCP proxy the test freezes, so no other user of that Redis is paused.
 * Skipped when REDIS_URL is unset.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const redisUrl = process.env.REDIS_URL;
const query = '{ __typename }';

async function timedGql(t: TestApp) {
  const started = performance.now();
  const response = await t.gql(query);
  return { response, ms: performance.now() - started };
}

async function health(t: TestApp, path = '/health') {
  const response = await fetch(`${t.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe.skipIf(!redisUrl)('a Redis that stops answering', () => {
  const prefix = `test:${randomUUID()}:`;
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    const target = new URL(redisUrl as string);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    t = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_KEY_PREFIX: prefix });
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    const redis = new Redis(redisUrl as string);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('is reported by /health while it answers', async () => {
    expect((await t.gql(query)).status).toBe(200);
    expect(await health(t)).toMatchObject({
      status: 200,
      body: { status: 'ok', checks: { database: { status: 'ok' }, redis: { status: 'ok' } } },
    });
  });

  it('costs one request a second, then fails fast; /health is degraded, /health/ready is not', async () => {
    proxy.freeze();
    // The first request waits for the command timeout; the budgets then admit it (fail open).
    const first = await timedGql(t);
    expect(first.response.status).toBe(200);
    expect(first.ms).toBeGreaterThanOrEqual(900);

    for (let i = 0; i < 5; i++) {
      const { response, ms } = await timedGql(t);
      expect(response.status).toBe(200);
      expect(ms).toBeLessThan(500);
    }
    const started = performance.now();
    expect(await health(t)).toMatchObject({
      status: 503,
      body: { status: 'degraded', checks: { database: { status: 'ok' }, redis: { status: 'error' } } },
    });
    expect(await health(t, '/health/ready')).toMatchObject({ status: 200 });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('is used again once it answers', async () => {
    proxy.thaw();
    // After the cool-down one call tries Redis again; its success closes the circuit.
    await expect
      .poll(async () => ((await health(t)).body.checks as { redis: { status: string } }).redis.status, {
        interval: 250,
      })
      .toBe('ok');
    expect((await t.gql(query)).status).toBe(200);
  });
});
