import { and, eq, ilike, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { clearedTokenCookie } from '../../auth/cookie.js';
import { revokeUserSessions } from '../../auth/session.js';
import type { Database } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { builder } from '../builder.js';
import { totalCountField } from '../connections.js';
import type { Context, Role } from '../context.js';
import { withDatabaseErrors } from '../database-errors.js';
import { badUserInput, conflict, notFound } from '../errors.js';
import { requireRowId, rowIdOf } from '../global-id.js';
import { visibility } from '../node-visibility.js';
import { idKey, type Ordering } from '../ordering.js';
import { ownsOrAdmin } from '../ownership.js';
import { plannedRow } from '../planned-row.js';
import { readPlan } from '../read-plans.js';
import { rootList } from '../root-lists.js';
import { containsPattern } from '../search-pattern.js';
import { emailErrors, UpdateUserInput } from './account-inputs.js';
import { UserRole } from './role.js';

type UserRow = typeof users.$inferSelect;

const visibleUser = visibility<UserRow>('User', (user, ctx) => ownsOrAdmin(ctx, user.id));

/**
 * authScopes of a field taking a user's id: its owner or an admin, decided from the id
 * alone so a non-admin cannot probe which ids exist. A malformed id passes to the
 * resolver's BAD_USER_INPUT (guests are still told to sign in).
 */
function selfOrAdminScopes(ctx: Context, globalId: string) {
  const id = rowIdOf(globalId, 'User');
  return id === undefined ? { signedIn: true } : ownsOrAdmin(ctx, id);
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
function usersWhere(
  { role, search }: { role?: Role | null; search?: string | null },
  table: typeof users,
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
      ...rootList('users', usersWhere, () => oldestFirst),
    },
    UserConnection,
  ),
);

// ---- mutations ----

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
      return plannedRow(ctx, 'users', query, id);
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
