import type { Plugin } from 'graphql-yoga';
import { looksLikeApiKey, viewerForApiKey } from '../../auth/api-key.js';
import { clearedTokenCookie, tokenFromCookieHeader } from '../../auth/cookie.js';
import type { AuthServices } from '../../auth/services.js';
import { viewerForSession } from '../../auth/session.js';
import type { Database } from '../../db/client.js';
import type { Context, Viewer } from '../../graphql/context.js';
import { unauthenticated } from '../../graphql/errors.js';

type Credential =
  | { kind: 'apiKey'; secret: string }
  | { kind: 'token'; token: string; fromCookie: boolean }
  | { kind: 'malformed' };

/** Explicit headers win over the cookie: a script calling with a key means the key. */
function credentialOf(request: Request): Credential | null {
  const apiKey = request.headers.get('x-api-key');
  if (apiKey !== null) return { kind: 'apiKey', secret: apiKey.trim() };

  const authorization = request.headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) return { kind: 'malformed' };
    const value = match[1];
    return looksLikeApiKey(value)
      ? { kind: 'apiKey', secret: value }
      : { kind: 'token', token: value, fromCookie: false };
  }

  const token = tokenFromCookieHeader(request.headers.get('cookie'));
  return token ? { kind: 'token', token, fromCookie: true } : null;
}

async function resolveViewer(
  db: Database,
  auth: AuthServices,
  credential: Credential,
): Promise<Viewer | null> {
  if (credential.kind === 'malformed') return null;
  if (credential.kind === 'apiKey') return viewerForApiKey(db, credential.secret);
  const claims = await auth.tokens.verify(credential.token);
  return claims ? viewerForSession(db, claims) : null;
}

/**
 * The viewer the request's credential stands for now: null for a guest, and for a
 * credential revoked or expired since. Open subscriptions check theirs again with it.
 */
export async function currentViewer(ctx: Context): Promise<Viewer | null> {
  const credential = credentialOf(ctx.request);
  return credential ? resolveViewer(ctx.db, ctx.auth, credential) : null;
}

/**
 * Fills `ctx.viewer` from the token cookie, `Authorization: Bearer <jwt or
 * API key>`, or `x-api-key`. No credential: a guest. A credential that does
 * not check out (expired, revoked, tampered, user gone) refuses the request
 * with UNAUTHENTICATED rather than serving it as a guest, so a client notices;
 * a stale cookie is also cleared so the browser's next request is a guest's.
 */
export function useViewer(): Plugin<Context> {
  const clearCookieFor = new WeakMap<Request, string>();
  return {
    async onContextBuilding({ context, extendContext }) {
      const credential = credentialOf(context.request);
      if (!credential) return;
      const viewer = await resolveViewer(context.db, context.auth, credential);
      if (!viewer) {
        if (credential.kind === 'token' && credential.fromCookie) {
          clearCookieFor.set(context.request, clearedTokenCookie(context.auth.config.cookie));
        }
        throw unauthenticated('The credentials sent are invalid, expired or revoked');
      }
      extendContext({ viewer });
    },
    onResponse({ request, response }) {
      const cookie = clearCookieFor.get(request);
      if (cookie) response.headers.append('set-cookie', cookie);
    },
  };
}
