/** The `token` cookie's flags, in a development configuration and a production-like one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manyAccountsEnv, signUp } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let development: TestApp;
let production: TestApp;
beforeAll(async () => {
  [development, production] = await Promise.all([
    startTestApp({ ...manyAccountsEnv, NODE_ENV: 'development', LOG_LEVEL: 'silent' }),
    startTestApp({
      ...manyAccountsEnv,
      NODE_ENV: 'production',
      MIGRATE_ON_START: 'true',
      COOKIE_SAMESITE: 'strict',
      TOKEN_TTL: '30m',
      SESSION_MAX_TTL: '1d',
      // The production bot guard refuses Node's user agent on signUp/signIn; it has its own tests.
      BOT_GUARD: 'false',
    }),
  ]);
});
afterAll(() => Promise.all([development?.close(), production?.close()]));

/** "token=…; Path=/; …" → its name=value and its attributes, as a map. */
function parseSetCookie(header: string | null) {
  if (!header) throw new Error('no Set-Cookie header');
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  const flags = Object.fromEntries(
    attributes.map((attribute) => {
      const [name = '', value = true] = attribute.split('=');
      return [name.toLowerCase(), value];
    }),
  );
  return { pair, flags };
}

const signInMutation = 'mutation($input: SignInInput!) { signIn(input: $input) { token } }';

describe.each([
  ['development', () => development, { secure: false, sameSite: 'Lax', maxAge: String(7 * 86400) }],
  ['production', () => production, { secure: true, sameSite: 'Strict', maxAge: '86400' }],
] as const)('%s', (_name, app, expected) => {
  // The cookie lives as long as the session may (SESSION_MAX_TTL), not its short token: the server
  // renews the token inside it, and clears it once the session is over.
  it('signUp and signIn set the token cookie: HttpOnly, Path=/, SameSite, Max-Age = session lifetime', async () => {
    const t = app();
    const account = await signUp(t);
    const signedIn = await t.gql<{ signIn: { token: string } }>(signInMutation, {
      input: { email: account.email, password: account.password },
    });
    const { pair, flags } = parseSetCookie(signedIn.headers.get('set-cookie'));
    expect(pair).toBe(`token=${signedIn.body.data?.signIn.token}`);
    expect(flags).toEqual({
      path: '/',
      'max-age': expected.maxAge,
      httponly: true,
      samesite: expected.sameSite,
      ...(expected.secure ? { secure: true } : {}),
    });
  });

  it('signOut clears it with the same attributes', async () => {
    const t = app();
    const account = await signUp(t);
    const { headers } = await t.gql('mutation { signOut }', {}, account.headers);
    const { pair, flags } = parseSetCookie(headers.get('set-cookie'));
    expect(pair).toBe('token=');
    expect(flags).toMatchObject({ path: '/', 'max-age': '0', httponly: true, samesite: expected.sameSite });
    expect('secure' in flags).toBe(expected.secure);
  });

  it('a signed-in browser needs nothing but the cookie', async () => {
    const t = app();
    const account = await signUp(t);
    const { body } = await t.gql('{ me { id } }', {}, { cookie: `token=${account.token}` });
    expect(body.data).toEqual({ me: { id: account.id } });
  });
});
