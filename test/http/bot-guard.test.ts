import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** BOT_GUARD (on by default in production): automated user agents cannot sign up or sign in. */
const browser =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const password = 'correct horse battery staple';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ BOT_GUARD: 'true' });
});

afterAll(async () => {
  await t?.close();
});

const signUp = (email: string, userAgent: string) =>
  t.gql<{ signUp: { token: string } }>(
    'mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token } }',
    { input: { name: 'Bot Guard', email, password } },
    { 'user-agent': userAgent },
  );

const signIn = (email: string, userAgent: string) =>
  t.gql<{ signIn: { token: string } }>(
    'mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }',
    { input: { email, password } },
    { 'user-agent': userAgent },
  );

describe('BOT_GUARD=true', () => {
  const email = `bot-guard-${randomUUID()}@example.com`;

  it('lets a browser sign up and sign in', async () => {
    expect((await signUp(email, browser)).body.data?.signUp.token).toEqual(expect.any(String));
    expect((await signIn(email, browser)).body.data?.signIn.token).toEqual(expect.any(String));
  });

  it.each([
    'curl/8.5.0',
    'python-requests/2.31.0',
    'node',
    'Googlebot/2.1 (+http://www.google.com/bot.html)',
    '',
  ])('refuses signUp and signIn from %j with FORBIDDEN', async (userAgent) => {
    for (const response of [
      await signUp(`other-${randomUUID()}@example.com`, userAgent),
      await signIn(email, userAgent),
    ]) {
      expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(response.body.data ?? undefined).toBeUndefined();
    }
  });

  it('leaves other operations alone', async () => {
    const { body } = await t.gql('{ __typename }', undefined, { 'user-agent': 'curl/8.5.0' });
    expect(body.data).toEqual({ __typename: 'Query' });
  });

  it('leaves /health to monitors', async () => {
    for (const userAgent of ['UptimeRobot/2.0', 'kube-probe/1.30', 'curl/8.5.0']) {
      expect((await fetch(`${t.url}/health`, { headers: { 'user-agent': userAgent } })).status).toBe(200);
    }
  });
});
