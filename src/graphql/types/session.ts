import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import {
  isSessionId,
  listLiveSessions,
  renewSession,
  revokeOwnSession,
  revokeUserSessions,
  type LiveSession,
} from '../../auth/session.js';
import { clearedTokenCookie } from '../../auth/cookie.js';
import { builder } from '../builder.js';
import { badUserInput, notFound, unauthenticated } from '../errors.js';
import { signedInViewer } from '../viewer.js';
import { AuthPayload, issueAuthPayload } from './auth-payload.js';

const typename = 'Session';

/** The session row id inside a Session global id; BAD_USER_INPUT otherwise (never a driver error). */
function sessionIdOf(globalId: string): string {
  try {
    const { typename: type, id } = decodeGlobalID(globalId);
    if (type === typename && isSessionId(id)) return id;
  } catch {
    // Not base64 of "type:id": the same answer as any other id that is not a Session's.
  }
  throw badUserInput([{ field: 'id', message: 'is not a Session id' }]);
}

export const Session = builder.objectRef<LiveSession>(typename).implement({
  description:
    'A signed-in session of yours: one sign-in on one device, kept alive by use (see `sessions`). API keys are not sessions.',
  fields: (t) => ({
    id: t.id({
      description: 'Opaque global id: pass it to `revokeSession`.',
      resolve: (session) => encodeGlobalID(typename, session.id),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the session was signed in.' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      description: 'When the session last made a request (recorded at most once a minute).',
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      description:
        'When the session ends however active it is (SESSION_MAX_TTL after sign-in). Unused for SESSION_IDLE_TTL, it ends sooner.',
    }),
    idleExpiresAt: t.field({
      type: 'DateTime',
      description:
        'When the session ends unless it is used before: SESSION_IDLE_TTL after `lastUsedAt`, at most `expiresAt`.',
      resolve: (session, _args, ctx) =>
        new Date(
          Math.min(
            session.lastUsedAt.getTime() + ctx.auth.config.session.idleTtlSeconds * 1000,
            session.expiresAt.getTime(),
          ),
        ),
    }),
    userAgent: t.exposeString('userAgent', {
      nullable: true,
      description: 'The User-Agent header it signed in with (first 512 characters); null if none was sent.',
    }),
    ip: t.exposeString('ip', {
      nullable: true,
      description: 'The client address it signed in from (as TRUST_PROXY allows); null if unknown.',
    }),
    current: t.boolean({
      description: 'True for the session making this request.',
      resolve: (session, _args, ctx) => session.id === ctx.viewer?.sessionId,
    }),
  }),
});

builder.queryField('sessions', (t) =>
  t.field({
    type: [Session],
    description:
      'Your live sessions (not revoked, not ended), most recently used first. Needs a signed-in session: FORBIDDEN for API keys.',
    authScopes: { session: true },
    resolve: (_root, _args, ctx) =>
      listLiveSessions(ctx.db, signedInViewer(ctx).userId, ctx.auth.config.session),
  }),
);

builder.mutationField('refreshSession', (t) =>
  t.field({
    type: AuthPayload,
    description:
      'Renews the current session: a fresh token (and cookie) valid TOKEN_TTL more, never past the session’s end. Accepts the token even after its `expiresAt`, while the session lives (used within SESSION_IDLE_TTL). The token it replaces keeps working for one minute, for requests already under way, then is refused; it cannot be refreshed again. Needs a signed-in session: FORBIDDEN for API keys.',
    authScopes: { session: true },
    resolve: async (_root, _args, ctx) => {
      const viewer = signedInViewer(ctx);
      const { sessionId, token } = viewer;
      if (!sessionId || !token) throw unauthenticated();
      const renewed = await renewSession(ctx.db, sessionId, token.generation, ctx.auth.config.session);
      if (!renewed) {
        throw unauthenticated('This token was already renewed: use the newer one, or sign in again');
      }
      const user = await ctx.db.query.users.findFirst({ where: { id: viewer.userId } });
      if (!user) throw unauthenticated();
      return issueAuthPayload(ctx, user, renewed);
    },
  }),
);

builder.mutationField('revokeSession', (t) =>
  t.field({
    type: Session,
    description:
      'Ends one of your live sessions at once (its tokens are refused from the next request) and returns it as it was. Any id that is not one of your live sessions is NOT_FOUND. Ending the current session also clears the cookie. Needs a signed-in session: FORBIDDEN for API keys.',
    args: { id: t.arg.id({ required: true, description: 'The session’s global id, from `sessions`.' }) },
    authScopes: { session: true },
    resolve: async (_root, args, ctx) => {
      const viewer = signedInViewer(ctx);
      const revoked = await revokeOwnSession(
        ctx.db,
        viewer.userId,
        sessionIdOf(String(args.id)),
        ctx.auth.config.session,
      );
      // Another user's session is NOT_FOUND too: whether an id exists is nobody else's business.
      if (!revoked) throw notFound('Session');
      ctx.live.accessChanged(viewer.userId);
      if (revoked.id === viewer.sessionId)
        ctx.responseCookies.push(clearedTokenCookie(ctx.auth.config.cookie));
      return revoked;
    },
  }),
);

builder.mutationField('signOutEverywhere', (t) =>
  t.boolean({
    description:
      'Ends every session of your account at once, the current one included, and clears the cookie; true once done. API keys are not sessions and keep working (revoke them with `revokeApiKey`). Needs a signed-in session: FORBIDDEN for API keys.',
    authScopes: { session: true },
    resolve: async (_root, _args, ctx) => {
      ctx.responseCookies.push(clearedTokenCookie(ctx.auth.config.cookie));
      const { userId } = signedInViewer(ctx);
      await revokeUserSessions(ctx.db, userId);
      ctx.live.accessChanged(userId);
      return true;
    },
  }),
);
