import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** Behind one trusted proxy (TRUST_PROXY=1) guests are told apart by X-Forwarded-For. */
const BUDGET = 3;
const ping = '{ __typename }';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ TRUST_PROXY: '1', RATE_LIMIT_GUEST: String(BUDGET) });
});

afterAll(async () => {
  await t?.close();
});

const from = (forwardedFor: string) => t.gql(ping, undefined, { 'x-forwarded-for': forwardedFor });

describe('TRUST_PROXY=1', () => {
  it('counts each forwarded client address separately', async () => {
    for (let i = 0; i < BUDGET; i++) expect((await from('198.51.100.1')).status).toBe(200);
    expect((await from('198.51.100.1')).status).toBe(429);
    expect((await from('198.51.100.2')).status).toBe(200);
  });

  it('believes only the entry the proxy appended, not what the client put before it', async () => {
    for (let i = 0; i < BUDGET; i++) expect((await from(`192.0.2.${i}, 198.51.100.3`)).status).toBe(200);
    // A fresh spoofed first entry does not buy a fresh budget: the proxy saw 198.51.100.3.
    expect((await from('192.0.2.99, 198.51.100.3')).status).toBe(429);
  });

  it('counts email changes per account too, from whatever address', async () => {
    const signedUp = await t.gql<{ signUp: { token: string; user: { id: string } } }>(
      'mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } } }',
      { input: { name: 'Prober', email: `prober-${randomUUID()}@example.com`, password: 'a fine password' } },
      { 'x-forwarded-for': '203.0.113.1' },
    );
    const account = signedUp.body.data?.signUp;
    if (!account) throw new Error(JSON.stringify(signedUp.body));
    const changeEmail = (i: number) =>
      t.gql(
        'mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }',
        { id: account.user.id, input: { email: `prober-${randomUUID()}@example.com` } },
        { authorization: `Bearer ${account.token}`, 'x-forwarded-for': `203.0.113.${i + 2}` },
      );
    const signUpsPerHour = 5; // RATE_LIMIT_SIGNUP's default
    for (let i = 0; i < signUpsPerHour; i++) expect((await changeEmail(i)).body.errors).toBeUndefined();
    const refused = await changeEmail(signUpsPerHour);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('counts IPv6 clients per /64 network', async () => {
    for (let i = 0; i < BUDGET; i++) expect((await from(`2001:db8:1:2::${i + 1}`)).status).toBe(200);
    expect((await from('2001:db8:1:2:ffff::1')).status).toBe(429);
    expect((await from('2001:db8:1:3::1')).status).toBe(200);
  });
});
