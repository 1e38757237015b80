import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** RATE_LIMIT=off (load tests, benchmarks): nothing is limited, and the start says so. */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({
    RATE_LIMIT: 'off',
    RATE_LIMIT_GUEST: '1',
    RATE_LIMIT_SIGNIN_FAILURES: '1',
  });
});

afterAll(async () => {
  await t?.close();
});

it('logs a warning at start', () => {
  expect(t.logs).toContainEqual(
    expect.objectContaining({ level: 40, msg: expect.stringMatching(/RATE_LIMIT=off/) }),
  );
});

it('serves calls past every budget', async () => {
  for (let i = 0; i < 5; i++) expect((await t.gql('{ __typename }')).status).toBe(200);
  for (let i = 0; i < 3; i++) {
    const { body } = await t.gql(
      'mutation { signIn(input: { email: "nobody@example.com", password: "wrong password" }) { token } }',
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  }
});
