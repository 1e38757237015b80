import { eq, sql } from 'drizzle-orm';
import { clearedTokenCookie } from '../../auth/cookie.js';
import { issueSessionToken } from '../../auth/session-renewal.js';
import { createSession, revokeSession, type NewSession } from '../../auth/session.js';
import type { Database } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { withDatabaseErrors } from '../database-errors.js';
import { unauthenticated } from '../errors.js';
import { emailErrors, SignInInput, SignUpInput } from './account-inputs.js';
import { User } from './user.js';

type UserRow = typeof users.$inferSelect;

export interface AuthPayloadShape {
  user: UserRow;
  token: string;
  expiresAt: Date;
  sessionExpiresAt: Date;
}

export const AuthPayload = builder.objectRef<AuthPayloadShape>('AuthPayload').implement({
  description:
    'A session token. It is also set as an httpOnly `token` cookie; send it as `Authorization: Bearer <token>` from non-browser clients.',
  fields: (t) => ({
    user: t.field({
      type: User,
      description: 'The signed-in account.',
      grantScopes: ['ownAccount'],
      resolve: (payload) => payload.user,
    }),
    token: t.exposeString('token', {
      description: 'The session JWT (HS256), valid until `expiresAt`; renew it with `refreshSession`.',
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      description:
        'When this token ends (TOKEN_TTL after issue). Before then, or within SESSION_IDLE_TTL of the session’s last use, `refreshSession` gives a fresh one; cookie sessions are renewed by themselves.',
    }),
    sessionExpiresAt: t.expose('sessionExpiresAt', {
      type: 'DateTime',
      description:
        'When the session ends however active it is (SESSION_MAX_TTL after sign-in); no token outlives it: sign in again after.',
    }),
  }),
});

/** Case-insensitive match, as the unique index on lower(email) defines it. */
async function findUserByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  return db.query.users.findFirst({
    where: { RAW: (table) => eq(sql`lower(${table.email})`, sql`lower(${email})`) },
  });
}

async function startSession(ctx: Context, user: UserRow, db: Database = ctx.db): Promise<AuthPayloadShape> {
  const session = await createSession(db, user.id, ctx.auth.config.session, {
    userAgent: ctx.request.headers.get('user-agent'),
    ip: ctx.clientIp,
  });
  return issueAuthPayload(ctx, user, session);
}

/** A token for the session's current generation, set as the cookie too, in the shape signIn answers. */
export async function issueAuthPayload(
  ctx: Context,
  user: UserRow,
  session: NewSession,
): Promise<AuthPayloadShape> {
  const issued = await issueSessionToken(ctx.auth, user.id, session);
  ctx.responseCookies.push(issued.cookie);
  return { user, token: issued.token, expiresAt: issued.expiresAt, sessionExpiresAt: session.expiresAt };
}

builder.mutationField('signUp', (t) =>
  t.field({
    type: AuthPayload,
    description:
      'Creates a USER account and signs it in (sets the `token` cookie). A taken email is a CONFLICT.',
    args: { input: t.arg({ type: SignUpInput, required: true, description: 'The new account.' }) },
    resolve: async (_root, { input }, ctx) => {
      const passwordHash = await ctx.auth.passwords.hash(input.password);
      // One transaction: no account is left behind without the session the caller was promised.
      return withDatabaseErrors(
        () =>
          ctx.db.transaction(async (tx) => {
            const [user] = await tx
              .insert(users)
              .values({ name: input.name, email: input.email, passwordHash, role: 'user' })
              .returning();
            if (!user) throw new Error('user insert returned no row');
            return startSession(ctx, user, tx);
          }),
        emailErrors,
      );
    },
  }),
);

builder.mutationField('signIn', (t) =>
  t.field({
    type: AuthPayload,
    description:
      'Starts a session (sets the `token` cookie). Wrong email and wrong password give the same UNAUTHENTICATED.',
    args: { input: t.arg({ type: SignInInput, required: true, description: 'The credentials.' }) },
    resolve: async (_root, { input }, ctx) => {
      const user = await findUserByEmail(ctx.db, input.email);
      const invalid = () => unauthenticated('Invalid email or password');
      if (!user) {
        await ctx.auth.passwords.verifyAgainstDummy(input.password);
        throw invalid();
      }
      const check = await ctx.auth.passwords.verify(user.passwordHash, input.password);
      if (!check.ok) throw invalid();
      if (check.needsRehash) {
        const passwordHash = await ctx.auth.passwords.hash(input.password);
        await ctx.db.update(users).set({ passwordHash }).where(eq(users.id, user.id));
      }
      return startSession(ctx, user);
    },
  }),
);

builder.mutationField('signOut', (t) =>
  t.boolean({
    description:
      'Ends the current session at once (the token stops working even if replayed) and clears the cookie; a bearer token past its `expiresAt` may still do this. False for API keys, which have no session.',
    authScopes: { writer: true },
    resolve: async (_root, _args, ctx) => {
      ctx.responseCookies.push(clearedTokenCookie(ctx.auth.config.cookie));
      const viewer = ctx.viewer;
      if (!viewer?.sessionId) return false;
      const revoked = await revokeSession(ctx.db, viewer.sessionId);
      // Its subscriptions end too (src/graphql/events/).
      if (revoked) ctx.live.accessChanged(viewer.userId);
      return revoked;
    },
  }),
);
