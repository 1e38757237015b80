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

  it('counts IPv6 clients per /64 network', async () => {
    for (let i = 0; i < BUDGET; i++) expect((await from(`2001:db8:1:2::${i + 1}`)).status).toBe(200);
    expect((await from('2001:db8:1:2:ffff::1')).status).toBe(429);
    expect((await from('2001:db8:1:3::1')).status).toBe(200);
  });
});
