import { users } from '../db/schema.js';

/**
 * The signed-in user's own fields, read in the same query that checks the credential
 * (session or API key), so answering `me` needs no second statement.
 */
export const accountColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

export type ViewerAccount = Pick<typeof users.$inferSelect, keyof typeof accountColumns>;
