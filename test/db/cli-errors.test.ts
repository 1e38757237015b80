/**
 * What the commands print when the database cannot be used (issue 14, item 10): the
 * driver's reason, not Drizzle's "Failed query: …", and never the URL's password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCommand } from '../../src/db/migrate.js';
import { seedCommand } from '../../src/db/seed-cli.js';
import { hashPassword, runInProcess } from '../helpers/commands.js';
import { createTestDatabase, testDriver, type TestDatabase } from '../helpers/database.js';
import { closedPort } from '../helpers/ports.js';

const server = testDriver !== 'pglite';
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase(testDriver, { empty: true });
});
afterAll(() => database?.drop());

const migrate = (env: Record<string, string>) =>
  runInProcess((stdout) => migrateCommand({ NODE_ENV: 'test', ...env }, stdout), env);

/** The suite's database with the URL changed by `edit` (user, password, port, host). */
function envWith(edit: (url: URL) => void, extra: Record<string, string> = {}): Record<string, string> {
  const env = { ...database.env };
  const url = new URL(env.DATABASE_URL as string);
  edit(url);
  return { ...env, DATABASE_URL: url.toString(), ...extra };
}

describe('npm run db:seed on a database that was never migrated', () => {
  it('says to run npm run db:migrate', async () => {
    const env = { NODE_ENV: 'test', ...database.env };
    const result = await runInProcess((stdout) => seedCommand([], env, { stdout, hashPassword }), env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'Error: database: relation "companies" does not exist [42P01]; the database has no schema yet: run `npm run db:migrate` first\n',
    );
  });
});

describe.runIf(server)('npm run db:migrate against a database it cannot use', () => {
  it('prints the refused login', async () => {
    const result = await migrate(envWith((url) => (url.username = 'nobody')));
    expect(result).toMatchObject({
      code: 1,
      stderr: 'Error: database: role "nobody" does not exist [28000]\n',
    });
  });

  it('prints the refused connection, without the password', async () => {
    const port = await closedPort();
    // Neon's driver reaches the server through its WebSocket proxy, whose port this is.
    const env =
      testDriver === 'neon'
        ? envWith((url) => (url.password = 's3cret-pw'), { NEON_LOCAL_PORT: String(port) })
        : envWith((url) => Object.assign(url, { password: 's3cret-pw', port: String(port) }));
    const result = await migrate(env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`Error: database: connect ECONNREFUSED 127.0.0.1:${port}\n`);
    expect(result.stderr).not.toContain('s3cret-pw');
  });

  it('prints an unknown host', async () => {
    const env =
      testDriver === 'neon'
        ? envWith(() => undefined, { NEON_LOCAL_HOST: 'no-such-host.invalid' })
        : envWith((url) => (url.hostname = 'no-such-host.invalid'));
    const result = await migrate(env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Error: database: getaddrinfo (ENOTFOUND|EAI_AGAIN) no-such-host\.invalid\n$/,
    );
  });
});
