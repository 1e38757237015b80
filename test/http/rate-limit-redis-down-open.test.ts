import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { closedPort } from '../helpers/ports.js';

/** REDIS_URL pointing at a port nothing listens on, with RATE_LIMIT_FAIL_MODE=open. */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({
    REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
    RATE_LIMIT_FAIL_MODE: 'open',
    RATE_LIMIT_SIGNIN_FAILURES: '1',
  });
});

afterAll(async () => {
  await t?.close();
});

describe('Redis unreachable, RATE_LIMIT_FAIL_MODE=open', () => {
  it('admits signIn attempts past the limit, logging that the store failed', async () => {
    for (let i = 0; i < 3; i++) {
      const { body } = await t.gql(
        'mutation { signIn(input: { email: "someone@example.com", password: "wrong password" }) { token } }',
      );
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        level: 50,
        failMode: 'open',
        msg: expect.stringMatching(/signIn\/signUp are admitted/),
      }),
    );
  });
});
