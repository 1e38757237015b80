import { builder } from '../builder.js';

export const UserRole = builder.enumType('Role', {
  description: 'What an account may do.',
  values: {
    USER: { value: 'user', description: 'Reads everything public; creates and edits its own records.' },
    ADMIN: { value: 'admin', description: 'Manages users and every record.' },
  } as const,
});
