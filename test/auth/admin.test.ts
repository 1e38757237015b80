/** The first admin: `npm run admin:create` (in process), and the ADMIN_EMAIL/ADMIN_PASSWORD bootstrap at start. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCreateCommand } from '../../src/auth/admin-create.js';
import { bootstrapAdmin } from '../../src/auth/admin.js';
import { createPasswordHasher } from '../../src/auth/password.js';
import { users } from '../../src/db/schema.js';
import { manyAccountsEnv, signUp } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { runInProcess } from '../helpers/commands.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const signInMutation = 'mutation($input: SignInInput!) { signIn(input: $input) { user { name role } } }';

describe('npm run admin:create', () => {
  let database: TestDatabase;
  let t: TestApp | undefined;

  /** The command with `env`, and `typed` as what stdin gives when ADMIN_PASSWORD is unset. */
  function adminCreate(args: string[], env: Record<string, string>, typed?: string) {
    const fullEnv = { NODE_ENV: 'test', ...manyAccountsEnv, ...database.env, ...env };
    const readPassword = () =>
      typed === undefined ? Promise.reject(new Error('stdin was read')) : Promise.resolve(typed);
    return runInProcess((stdout) => adminCreateCommand(args, fullEnv, { stdout, readPassword }), fullEnv);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('creates admins from ADMIN_PASSWORD or stdin, refuses bad input and taken emails, in one line', async () => {
    const fromEnv = await adminCreate(['--email', 'ada@example.com', '--name', 'Ada Admin'], {
      ADMIN_PASSWORD: 'first admin password',
    });
    expect(fromEnv).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^admin created: ada@example.com \(user \d+\)\n$/),
    });

    const fromStdin = await adminCreate(
      ['--email', 'grace@example.com', '--name', 'Grace Admin'],
      {},
      'second admin password',
    );
    expect(fromStdin).toMatchObject({ code: 0, stdout: expect.stringContaining('grace@example.com') });

    const taken = await adminCreate(['--email', 'ADA@example.com', '--name', 'Ada Again'], {
      ADMIN_PASSWORD: 'whatever password',
    });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^Error: an account with the email ADA@example.com already exists\n$/);

    const bad = await adminCreate(['--email', 'nope', '--name', 'X'], {}, 'short');
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--email: must be a valid email address/);
    expect(bad.stderr).toMatch(/--name: must be at least 2 characters/);
    expect(bad.stderr).toMatch(/password: must be at least 8 characters/);
  });

  it('the admins it made sign in and manage users', async () => {
    t = await startTestApp({ ...manyAccountsEnv, ...database.env });
    for (const [email, password, name] of [
      ['ada@example.com', 'first admin password', 'Ada Admin'],
      ['grace@example.com', 'second admin password', 'Grace Admin'],
    ] as const) {
      const { body } = await t.gql(signInMutation, { input: { email, password } });
      expect(body.data).toEqual({ signIn: { user: { name, role: 'ADMIN' } } });
    }
  });
});

describe('ADMIN_EMAIL / ADMIN_PASSWORD bootstrap', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      ...manyAccountsEnv,
      ADMIN_EMAIL: 'root@example.com',
      ADMIN_PASSWORD: 'bootstrap password',
      ADMIN_NAME: 'Root',
    });
  });
  afterAll(() => t.close());

  const hasher = () => createPasswordHasher(t.app.config.auth.argon2);

  it('creates the admin at start when there is none', async () => {
    const { body } = await t.gql(signInMutation, {
      input: { email: 'root@example.com', password: 'bootstrap password' },
    });
    expect(body.data).toEqual({ signIn: { user: { name: 'Root', role: 'ADMIN' } } });
  });

  it('does nothing once an admin exists', async () => {
    const config = {
      bootstrapAdmin: { email: 'second@example.com', password: 'another password', name: 'Second' },
    };
    await bootstrapAdmin(t.app.database.db, config, hasher(), t.app.logger);
    const rows = await t.app.database.db.select().from(users).where(eq(users.email, 'second@example.com'));
    expect(rows).toEqual([]);
  });

  it('never promotes an existing account that holds the email', async () => {
    const squatter = await signUp(t, { email: 'squatter@example.com' });
    await t.app.database.db.update(users).set({ role: 'user' }).where(eq(users.role, 'admin'));
    const config = { bootstrapAdmin: { email: squatter.email, password: 'another password', name: 'Boot' } };
    await bootstrapAdmin(t.app.database.db, config, hasher(), t.app.logger);
    const [row] = await t.app.database.db.select().from(users).where(eq(users.id, squatter.userId));
    expect(row?.role).toBe('user');
    expect(t.logs.some((line) => line.level === 40 && String(line.msg).includes('not promoted'))).toBe(true);
  });
});
