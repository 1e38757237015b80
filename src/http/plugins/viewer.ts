import { getOperationAST, Kind, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { looksLikeApiKey, viewerForApiKey } from '../../auth/api-key.js';
import { clearedTokenCookie, tokenFromCookieHeader } from '../../auth/cookie.js';
import { resumeSession } from '../../auth/session-renewal.js';
import { recordSessionUse, viewerForSession } from '../../auth/session.js';
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

interface Resolved {
  viewer: Viewer;
  /** A renewed token cookie for the response. */
  cookie?: string;
}

async function resolveViewer(
  { db, auth, logger }: Pick<Context, 'db' | 'auth' | 'logger'>,
  credential: Credential,
): Promise<Resolved | null> {
  if (credential.kind === 'malformed') return null;
  if (credential.kind === 'apiKey') {
    const viewer = await viewerForApiKey(db, credential.secret);
    return viewer ? { viewer } : null;
  }
  const token = await auth.tokens.verify(credential.token);
  return token ? resumeSession(db, auth, logger, token, credential.fromCookie) : null;
}

/** What a bearer token past `exp` may still do: renew its session, or end it. */
const expiredTokenFields = new Set(['refreshSession', 'signOut', '__typename']);

function onlyRenewsOrEnds(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  return (
    operation?.operation === 'mutation' &&
    operation.selectionSet.selections.every(
      (selection) => selection.kind === Kind.FIELD && expiredTokenFields.has(selection.name.value),
    )
  );
}

/**
 * The viewer the credential an open subscription started with stands for now; null when it
 * was revoked or its account is gone. For a session token: whether the session still lives,
 * whichever of its tokens is current (the browser renews the cookie on its other requests
 * while the stream keeps the one it opened with), never renewing it here; the open stream
 * counts as a use, so a tab following the feed keeps its session from idling out.
 */
export async function currentViewer(ctx: Context): Promise<Viewer | null> {
  const credential = credentialOf(ctx.request);
  if (!credential || credential.kind === 'malformed') return null;
  if (credential.kind === 'apiKey') return viewerForApiKey(ctx.db, credential.secret);
  const token = await ctx.auth.tokens.verify(credential.token);
  if (!token) return null;
  const { sessionId, userId, generation, expired } = token;
  const viewer = await viewerForSession(ctx.db, { sessionId, userId }, ctx.auth.config.session);
  if (!viewer) return null;
  await recordSessionUse(ctx.db, viewer.session);
  return { ...viewer, token: { generation, expired } };
}

/**
 * Fills `ctx.viewer` from the token cookie, `Authorization: Bearer <jwt or
 * API key>`, or `x-api-key`. No credential: a guest. A credential that does
 * not check out (expired, revoked, tampered, user gone, session idle or over)
 * refuses the request with UNAUTHENTICATED rather than serving it as a guest,
 * so a client notices; a stale cookie is also cleared so the browser's next
 * request is a guest's. A cookie session's token is renewed on the way (a fresh
 * cookie in the response); a bearer token past `exp` may only run refreshSession (or signOut).
 */
export function useViewer(): Plugin<Context> {
  const clearCookieFor = new WeakMap<Request, string>();
  return {
    onContextBuilding({ context, extendContext }) {
      const credential = credentialOf(context.request);
      // A guest: nothing to look up, so nothing to wait for (a promise here would make the
      // rest of the request's hooks asynchronous too).
      if (!credential) return;
      return resolveViewer(context, credential).then((resolved) => {
        if (!resolved) {
          if (credential.kind === 'token' && credential.fromCookie) {
            clearCookieFor.set(context.request, clearedTokenCookie(context.auth.config.cookie));
          }
          throw unauthenticated('The credentials sent are invalid, expired or revoked');
        }
        if (resolved.cookie) context.responseCookies.push(resolved.cookie);
        extendContext({ viewer: resolved.viewer });
      });
    },
    onExecute({ args }) {
      if (args.contextValue.viewer?.token?.expired && !onlyRenewsOrEnds(args.document, args.operationName)) {
        throw unauthenticated('The token has expired: renew it with refreshSession, or sign in again');
      }
    },
    onResponse({ request, response }) {
      const cookie = clearCookieFor.get(request);
      if (cookie) response.headers.append('set-cookie', cookie);
    },
  };
}
