/** A session records where it was started: the client address (TRUST_PROXY aware) and user agent. */
import { sessions } from '../../src/db/schema.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { manyAccountsEnv } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ ...manyAccountsEnv, TRUST_PROXY: '1' });
});
afterAll(() => t.close());

const signUpMutation = 'mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }';

it('stores the client address and user agent on the session', async () => {
  const { body } = await t.gql(
    signUpMutation,
    { input: { name: 'Proxied Client', email: 'proxied@example.com', password: 'long-enough-pw' } },
    { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Test', 'x-forwarded-for': '203.0.113.7' },
  );
  expect(body.errors).toBeUndefined();
  const rows = await t.app.database.db
    .select({ ip: sessions.ip, userAgent: sessions.userAgent })
    .from(sessions);
  expect(rows).toEqual([{ ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Test' }]);
});
