import { builder } from '../builder.js';

export const UserRole = builder.enumType('Role', {
  description: 'What an account may do.',
  values: {
    USER: { value: 'user', description: 'Reads everything public; creates and edits its own records.' },
    ADMIN: { value: 'admin', description: 'Manages users and every record.' },
  } as const,
});

export const User = builder.drizzleNode('users', {
  name: 'User',
  description: 'An account.',
  id: { column: (user) => user.id, description: 'Opaque global id.' },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Display name.' }),
    role: t.expose('role', { type: UserRole, description: 'What the account may do.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the account was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the account last changed.' }),
  }),
});

builder.queryField('me', (t) =>
  t.drizzleField({
    type: User,
    nullable: true,
    description: 'The signed-in user, or null for guests.',
    resolve: (query, _root, _args, ctx) =>
      ctx.viewer ? ctx.db.query.users.findFirst(query({ where: { id: ctx.viewer.userId } })) : null,
  }),
);
