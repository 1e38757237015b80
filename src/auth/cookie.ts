import type { Config } from '../config.js';

export const tokenCookieName = 'token';

export type CookieConfig = Config['auth']['cookie'];

const sameSiteNames = { lax: 'Lax', strict: 'Strict', none: 'None' } as const;

function attributes(config: CookieConfig, maxAgeSeconds: number): string {
  return [
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    // Not readable from page scripts: an XSS cannot steal the session.
    'HttpOnly',
    `SameSite=${sameSiteNames[config.sameSite]}`,
    ...(config.secure ? ['Secure'] : []),
  ].join('; ');
}

/** Set-Cookie value carrying a session token; the cookie lives exactly as long as the token. */
export function tokenCookie(token: string, maxAgeSeconds: number, config: CookieConfig): string {
  return `${tokenCookieName}=${token}; ${attributes(config, maxAgeSeconds)}`;
}

/** Set-Cookie value that makes the browser drop the token cookie. */
export function clearedTokenCookie(config: CookieConfig): string {
  return `${tokenCookieName}=; ${attributes(config, 0)}`;
}

/** The token cookie's value from a Cookie request header, if present. */
export function tokenFromCookieHeader(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator === -1) continue;
    if (pair.slice(0, separator).trim() === tokenCookieName) {
      const value = pair.slice(separator + 1).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}
