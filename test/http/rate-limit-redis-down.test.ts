import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { closedPort } from '../helpers/ports.js';

/**
 * REDIS_URL pointing at a port nothing listens on, with the default failure mode
 * (RATE_LIMIT_FAIL_MODE=closed): budgets fail open, the auth mutations fail closed.
 * Needs no Redis, so it runs everywhere.
 */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, RATE_LIMIT_GUEST: '2' });
});

afterAll(async () => {
  await t?.close();
});

describe('Redis unreachable, RATE_LIMIT_FAIL_MODE=closed', () => {
  it('still starts, and says Redis is unreachable', () => {
    expect(t.logs).toContainEqual(
      expect.objectContaining({ level: 50, msg: 'rate limits: Redis unreachable' }),
    );
  });

  it('serves ordinary operations past the budget, logging that the store failed', async () => {
    for (let i = 0; i < 5; i++) expect((await t.gql('{ __typename }')).status).toBe(200);
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        level: 50,
        failMode: 'closed',
        msg: expect.stringMatching(/store unavailable/),
      }),
    );
  });

  it('refuses signIn and signUp at once, asking the client to retry later', async () => {
    const started = performance.now();
    const signIn = await t.gql(
      'mutation { signIn(input: { email: "someone@example.com", password: "a password" }) { token } }',
    );
    const signUp = await t.gql(
      'mutation { signUp(input: { name: "Someone", email: "someone@example.com", password: "a long password" }) { token } }',
    );
    for (const response of [signIn, signUp]) {
      expect(response.status).toBe(429);
      expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 30 });
      expect(response.headers.get('retry-after')).toBe('30');
    }
    // Fail fast: no waiting on a connection that will not come.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
