import { eq } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { users } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { PasswordHasher } from './password.js';

export interface AdminAccount {
  email: string;
  name: string;
  password: string;
}

/** Raised when the email already has an account: an existing account is never promoted silently. */
export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
  constructor(email: string) {
    super(`an account with the email ${email} already exists`);
  }
}

/** Creates an account with the admin role, the only way besides an admin's updateUser to get one. */
export async function createAdminAccount(
  db: Database,
  passwords: PasswordHasher,
  account: AdminAccount,
): Promise<{ id: number }> {
  const passwordHash = await passwords.hash(account.password);
  // The unique index on lower(email) decides, so two concurrent creations cannot both win.
  const [row] = await db
    .insert(users)
    .values({ name: account.name, email: account.email, passwordHash, role: 'admin' })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (!row) throw new EmailTakenError(account.email);
  return row;
}

/**
 * ADMIN_EMAIL/ADMIN_PASSWORD at start: creates that admin when the database has
 * none, so a fresh deployment can be managed without a shell. Does nothing once
 * any admin exists, and never promotes an existing account (whoever registered
 * that email first would become admin).
 */
export async function bootstrapAdmin(
  db: Database,
  config: Pick<Config, 'bootstrapAdmin'>,
  passwords: PasswordHasher,
  logger: Logger,
): Promise<void> {
  const account = config.bootstrapAdmin;
  if (!account) return;
  if ((await db.$count(users, eq(users.role, 'admin'))) > 0) return;
  try {
    const { id } = await createAdminAccount(db, passwords, account);
    logger.info({ userId: id }, 'bootstrap admin created from ADMIN_EMAIL');
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
    logger.warn(
      'ADMIN_EMAIL belongs to an existing non-admin account: not promoted; use `npm run admin:create` with another email, or have an admin change its role',
    );
  }
}
