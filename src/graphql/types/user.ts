import { and, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { emailRule, nameRule, newEmailRule, passwordRule } from '../../auth/account-rules.js';
import { clearedTokenCookie, tokenCookie } from '../../auth/cookie.js';
import { createSession, revokeSession, revokeUserSessions } from '../../auth/session.js';
import type { Database } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { builder } from '../builder.js';
import {
  assertPageArgs,
  rememberPageTotal,
  selectsField,
  totalCountColumn,
  totalCountField,
  totalCountKey,
} from '../connections.js';
import type { Context, Role } from '../context.js';
import { withDatabaseErrors } from '../database-errors.js';
import { badUserInput, conflict, notFound, unauthenticated } from '../errors.js';
import { requireRowId, rowIdOf } from '../global-id.js';
import { visibility } from '../node-visibility.js';
import { drizzleOrdering, idKey, type Ordering } from '../ordering.js';
import { readPlan } from '../read-plans.js';
import { containsPattern } from '../search-pattern.js';

type UserRow = typeof users.$inferSelect;

export const UserRole = builder.enumType('Role', {
  description: 'What an account may do.',
  values: {
    USER: { value: 'user', description: 'Reads everything public; creates and edits its own records.' },
    ADMIN: { value: 'admin', description: 'Manages users and every record.' },
  } as const,
});

const isSelfOrAdmin = (ctx: Context, userId: number) =>
  ctx.viewer !== null && (ctx.viewer.role === 'admin' || ctx.viewer.userId === userId);

const visibleUser = visibility<UserRow>('User', (user, ctx) => isSelfOrAdmin(ctx, user.id));

/**
 * authScopes of a field taking a user's id: its owner or an admin, decided from the id
 * alone so a non-admin cannot probe which ids exist. A malformed id passes to the
 * resolver's BAD_USER_INPUT (guests are still told to sign in).
 */
function selfOrAdminScopes(ctx: Context, globalId: string) {
  const id = rowIdOf(globalId, 'User');
  return id === undefined ? { signedIn: true } : isSelfOrAdmin(ctx, id);
}

/**
 * The User type's auth rule: visibleUser, and objects a mutation returns to the account
 * that just signed in, which are granted explicitly.
 */
const userVisibility = (user: UserRow, ctx: Context) => visibleUser(user, ctx) || { $granted: 'ownAccount' };

export const User = builder.drizzleNode('users', {
  name: 'User',
  description:
    'An account. Visible to itself and to admins only: anyone else gets FORBIDDEN (UNAUTHENTICATED when signed out).',
  id: { column: (user) => user.id, description: 'Opaque global id.' },
  // On the type, so `node(id:)` follows the same rule as `user(id:)`.
  authScopes: userVisibility,
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Display name.' }),
    email: t.exposeString('email', {
      description: 'Sign-in address, as entered (compared case-insensitively).',
    }),
    role: t.expose('role', { type: UserRole, description: 'What the account may do.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the account was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the account last changed.' }),
  }),
});

interface AuthPayloadShape {
  user: UserRow;
  token: string;
  expiresAt: Date;
}

const AuthPayload = builder.objectRef<AuthPayloadShape>('AuthPayload').implement({
  description:
    'A new session. The token is also set as an httpOnly `token` cookie; send it as `Authorization: Bearer <token>` from non-browser clients.',
  fields: (t) => ({
    user: t.field({
      type: User,
      description: 'The signed-in account.',
      grantScopes: ['ownAccount'],
      resolve: (payload) => payload.user,
    }),
    token: t.exposeString('token', { description: 'The session JWT (HS256), valid until `expiresAt`.' }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      description: 'When the session and its token end; sign in again after.',
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
  const { tokenTtlSeconds, cookie } = ctx.auth.config;
  const session = await createSession(db, user.id, tokenTtlSeconds, {
    userAgent: ctx.request.headers.get('user-agent'),
    ip: ctx.clientIp,
  });
  const token = await ctx.auth.tokens.sign({ sessionId: session.id, userId: user.id }, session.expiresAt);
  ctx.responseCookies.push(tokenCookie(token, tokenTtlSeconds, cookie));
  return { user, token, expiresAt: session.expiresAt };
}

const emailTaken = () => conflict('An account with this email already exists');

/** The unique index on lower(email) as CONFLICT; the driver's message never reaches the client. */
const emailErrors = { users_email_lower_key: emailTaken };

/**
 * Inside a transaction: refuses when the user is the only admin. Locking every
 * admin row makes two admins demoting each other at once run one after the other,
 * so the second sees the first's change and the service never ends up with none.
 */
async function assertNotLastAdmin(tx: Database, userId: number): Promise<void> {
  const admins = await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).for('update');
  if (admins.some((admin) => admin.id === userId) && admins.length === 1) {
    throw conflict('This is the last admin: make another admin first');
  }
}

// ---- inputs ----

const SignUpInput = builder.inputType('SignUpInput', {
  description: 'A new account. Its role is always USER.',
  fields: (t) => ({
    name: t.string({
      required: true,
      description: 'Display name, 2–255 characters.',
      validate: { schema: nameRule },
    }),
    email: t.string({
      required: true,
      description: 'Sign-in address, at most 255 characters; not a disposable-mailbox domain.',
      validate: { schema: newEmailRule },
    }),
    password: t.string({
      required: true,
      description: '8–128 characters.',
      validate: { schema: passwordRule },
    }),
  }),
});

const SignInInput = builder.inputType('SignInInput', {
  description: 'Credentials of an existing account.',
  fields: (t) => ({
    email: t.string({
      required: true,
      description: 'Sign-in address (any letter case).',
      validate: { schema: emailRule },
    }),
    password: t.string({
      required: true,
      description: 'The account password.',
      // Only the cap: a short password simply fails to match.
      validate: { schema: z.string().max(128, 'must be at most 128 characters') },
    }),
  }),
});

const UpdateUserInput = builder.inputType('UpdateUserInput', {
  description: 'Changes to an account; omitted fields stay as they are.',
  fields: (t) => ({
    name: t.string({ description: 'New display name, 2–255 characters.', validate: { schema: nameRule } }),
    email: t.string({
      description: 'New sign-in address; must not belong to another account.',
      validate: { schema: newEmailRule },
    }),
    password: t.string({
      description: "New password, 8–128 characters. Signs the account's other sessions out.",
      validate: { schema: passwordRule },
    }),
    currentPassword: t.string({
      description:
        'Required with `password` when changing your own password; admins resetting another account omit it.',
      validate: { schema: z.string().max(128, 'must be at most 128 characters') },
    }),
    role: t.field({
      type: UserRole,
      description: 'New role. Admins only; the last admin cannot be demoted.',
    }),
  }),
});

// ---- queries ----

builder.queryField('me', (t) =>
  t.drizzleField({
    type: User,
    nullable: true,
    description: 'The signed-in user, or null for guests.',
    // The viewer's own account always passes userVisibility.
    extensions: readPlan({ kind: 'viewer', grants: [userVisibility] }),
    resolve: (query, _root, _args, ctx) =>
      ctx.viewer ? ctx.db.query.users.findFirst(query({ where: { id: ctx.viewer.userId } })) : null,
  }),
);

builder.queryField('user', (t) =>
  t.drizzleField({
    type: User,
    nullable: true,
    description:
      'One account: your own, or any for admins (null when an admin asks for an id that does not exist).',
    args: { id: t.arg.id({ required: true, description: 'The account’s global id.' }) },
    authScopes: (_root, args, ctx) => selfOrAdminScopes(ctx, args.id),
    resolve: (query, _root, args, ctx) =>
      ctx.db.query.users.findFirst(query({ where: { id: requireRowId(args.id, 'User', 'id') } })),
  }),
);

/** One filter for both the page and its totalCount, so they cannot disagree. */
function usersFilter(
  table: typeof users,
  role: Role | null | undefined,
  search: string | null | undefined,
): SQL | undefined {
  const pattern = containsPattern(search);
  return and(
    role ? eq(table.role, role) : undefined,
    pattern ? or(ilike(table.name, pattern), ilike(table.email, pattern)) : undefined,
  );
}

/** Accounts by id alone, so a cursor carries one value. */
const oldestFirst: Ordering<typeof users> = { keys: [idKey()], direction: 'asc' };

const UserConnection = builder.connectionObject(
  {
    type: User,
    name: 'UserConnection',
    description: 'One page of accounts.',
    fields: (t) => ({
      totalCount: t.int(totalCountField('accounts')),
    }),
  },
  { name: 'UserEdge', description: 'One account on a page, with its cursor.' },
);

builder.queryField('users', (t) =>
  t.drizzleConnection(
    {
      type: User,
      description: 'Every account, oldest first; at most 100 per page. Admins only.',
      authScopes: { admin: true },
      args: {
        role: t.arg({ type: UserRole, description: 'Only accounts with this role.' }),
        search: t.arg.string({
          description: 'Only accounts whose name or email contains this text, ignoring letter case.',
          validate: { schema: z.string().trim().max(255, 'must be at most 255 characters') },
        }),
      },
      // Only when no row of the page could carry the total (see resolveTotalCount).
      totalCount: (_root, args, ctx) => {
        assertPageArgs(args, oldestFirst);
        return ctx.db.$count(users, usersFilter(users, args.role, args.search));
      },
      resolve: async (query, _root, args, ctx, info) => {
        assertPageArgs(args, oldestFirst);
        const withTotal = selectsField(info, 'totalCount');
        const rows = await ctx.db.query.users.findMany(
          query({
            where: { RAW: (table) => usersFilter(table, args.role, args.search) ?? sql`true` },
            extras: {
              ...(withTotal
                ? { [totalCountKey]: totalCountColumn(users, usersFilter(users, args.role, args.search)) }
                : {}),
            },
            orderBy: drizzleOrdering(oldestFirst).orderBy,
          }),
        );
        if (withTotal) rememberPageTotal(args, rows);
        return rows;
      },
    },
    UserConnection,
  ),
);

// ---- mutations ----

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
      'Ends the current session at once (the token stops working even if replayed) and clears the cookie. False for API keys, which have no session.',
    authScopes: { writer: true },
    resolve: async (_root, _args, ctx) => {
      ctx.responseCookies.push(clearedTokenCookie(ctx.auth.config.cookie));
      const viewer = ctx.viewer;
      if (!viewer?.sessionId) return false;
      const revoked = await revokeSession(ctx.db, viewer.sessionId);
      if (revoked) ctx.live.accessChanged(viewer.userId);
      return revoked;
    },
  }),
);

builder.mutationField('updateUser', (t) =>
  t.drizzleField({
    type: User,
    description:
      'Changes an account: your own, or any for admins. Only admins change roles. A new password signs the account’s other sessions out. Needs a signed-in session: FORBIDDEN for API keys.',
    args: {
      id: t.arg.id({ required: true, description: 'The account’s global id.' }),
      input: t.arg({ type: UpdateUserInput, required: true, description: 'The changes.' }),
    },
    authScopes: (_root, { id, input }, ctx) => {
      if (input.role != null && ctx.viewer?.role !== 'admin') return false;
      return selfOrAdminScopes(ctx, id) === false ? false : { session: true };
    },
    resolve: async (query, _root, { id: globalId, input }, ctx) => {
      const id = requireRowId(globalId, 'User', 'id');
      const isSelf = ctx.viewer?.userId === id;
      const changes: Partial<Pick<UserRow, 'name' | 'email' | 'passwordHash' | 'role'>> = {};
      if (input.name != null) changes.name = input.name;
      if (input.email != null) changes.email = input.email;
      if (input.role != null) changes.role = input.role;
      if (input.password != null) {
        // Your own password needs the current one, so a borrowed session cannot lock you out.
        if (isSelf) await checkCurrentPassword(ctx, id, input.currentPassword);
        changes.passwordHash = await ctx.auth.passwords.hash(input.password);
      }

      await withDatabaseErrors(
        () =>
          ctx.db.transaction(async (tx) => {
            if (changes.role === 'user') await assertNotLastAdmin(tx, id);
            const updated =
              Object.keys(changes).length > 0
                ? await tx.update(users).set(changes).where(eq(users.id, id)).returning({ id: users.id })
                : await tx.select({ id: users.id }).from(users).where(eq(users.id, id));
            if (updated.length === 0) throw notFound('User');
            if (changes.passwordHash)
              await revokeUserSessions(tx, id, isSelf ? ctx.viewer?.sessionId : undefined);
          }),
        emailErrors,
      );
      if (changes.passwordHash || changes.role) ctx.live.accessChanged(id);
      const user = await ctx.db.query.users.findFirst(query({ where: { id } }));
      if (!user) throw notFound('User');
      return user;
    },
  }),
);

async function checkCurrentPassword(
  ctx: Context,
  userId: number,
  currentPassword: string | null | undefined,
) {
  const field = 'input.currentPassword';
  if (!currentPassword) throw badUserInput([{ field, message: 'is required to change your password' }]);
  const user = await ctx.db.query.users.findFirst({ columns: { passwordHash: true }, where: { id: userId } });
  if (!user || !(await ctx.auth.passwords.verify(user.passwordHash, currentPassword)).ok) {
    throw badUserInput([{ field, message: 'is incorrect' }]);
  }
}

builder.mutationField('deleteUser', (t) =>
  t.drizzleField({
    type: User,
    description:
      'Deletes an account (yours, or any for admins) with its sessions and API keys; returns it as it was. The last admin cannot be deleted. Needs a signed-in session: FORBIDDEN for API keys.',
    args: { id: t.arg.id({ required: true, description: 'The account’s global id.' }) },
    authScopes: (_root, { id }, ctx) => (selfOrAdminScopes(ctx, id) === false ? false : { session: true }),
    resolve: async (query, _root, { id: globalId }, ctx) => {
      const id = requireRowId(globalId, 'User', 'id');
      // Sessions and API keys go by cascade; records the user created keep a null creator.
      const user = await withDatabaseErrors(() =>
        ctx.db.transaction(async (tx) => {
          const existing = await tx.query.users.findFirst(query({ where: { id } }));
          if (!existing) throw notFound('User');
          await assertNotLastAdmin(tx, id);
          await tx.delete(users).where(eq(users.id, id));
          return existing;
        }),
      );
      ctx.live.accessChanged(id);
      if (ctx.viewer?.userId === id) ctx.responseCookies.push(clearedTokenCookie(ctx.auth.config.cookie));
      return user;
    },
  }),
);
