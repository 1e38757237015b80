/**
 * `npm run admin:create -- --email ada@example.com --name "Ada Admin"`: creates an
 * admin account. The password comes from ADMIN_PASSWORD, or from stdin (typed
 * without echo on a terminal, or piped: `printf '%s\n' "$PW" | npm run admin:create -- …`).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Writer } from '../cli.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { emailRule, nameRule, passwordRule } from './account-rules.js';
import { createAdminAccount } from './admin.js';
import { createPasswordHasher } from './password.js';

/** The password typed (without echo) or piped on stdin: its first line. */
export async function readPasswordFromStdin(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let input = '';
    for await (const chunk of stdin) input += String(chunk);
    return input.split(/\r?\n/, 1)[0] ?? '';
  }
  process.stderr.write('Password: ');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  try {
    let password = '';
    for await (const chunk of stdin) {
      for (const char of String(chunk)) {
        if (char === '\r' || char === '\n') return password;
        if (char === '\u0003') throw new Error('cancelled');
        password = char === '\u007f' ? password.slice(0, -1) : password + char;
      }
    }
    return password;
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}

const accountSchema = z.object({ email: emailRule, name: nameRule, password: passwordRule });

export interface AdminCreateIo {
  stdout: Writer;
  /** Asked only when ADMIN_PASSWORD is not set. */
  readPassword(): Promise<string>;
}

export async function adminCreateCommand(
  args: string[],
  env: Record<string, string | undefined>,
  { stdout, readPassword }: AdminCreateIo,
): Promise<void> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, name: { type: 'string' } } });
  const password = env.ADMIN_PASSWORD ?? (await readPassword());
  // The start-time bootstrap reads these two together; this command takes its own.
  const config = loadConfig({ ...env, ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined });

  const parsed = accountSchema.safeParse({ email: values.email ?? '', name: values.name ?? '', password });
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues
        .map(
          (issue) =>
            `${issue.path[0] === 'password' ? 'password' : `--${issue.path.join('.')}`}: ${issue.message}`,
        )
        .join('; '),
    );
  }

  const database = await openDatabase(config.database);
  try {
    if (config.migrateOnStart) await database.migrate();
    const { id } = await createAdminAccount(
      database.db,
      createPasswordHasher(config.auth.argon2),
      parsed.data,
    );
    stdout.write(`admin created: ${parsed.data.email} (user ${id})\n`);
  } finally {
    await database.close();
  }
}
