import { ConfigError, readEnvFiles } from './config.js';
import { causesOf } from './db/availability.js';

/** SQLSTATE undefined_table: the schema the code expects is not there. */
const undefinedTable = '42P01';

/**
 * What a command-line user needs of a failure: its own message, or for a failed database
 * call (Drizzle's "Failed query: …", which names the statement but not why) the driver's
 * reason — a refused login, an unreachable host — with its SQLSTATE.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof ConfigError) return `Invalid configuration: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  if (!message.startsWith('Failed query:') && message !== '') return `Error: ${message}`;
  const reasons: string[] = [];
  let sqlState: string | undefined;
  for (const cause of [...causesOf(error)].slice(1)) {
    const { message: text, code } = cause as { message?: unknown; code?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) sqlState ??= code;
    if (
      typeof text === 'string' &&
      text !== '' &&
      !text.startsWith('Failed query:') &&
      !reasons.includes(text)
    ) {
      reasons.push(text);
    }
  }
  if (reasons.length === 0) return `Error: ${message}`;
  const hint =
    sqlState === undefinedTable ? '; the database has no schema yet: run `npm run db:migrate` first' : '';
  return `Error: database: ${reasons.join('; ')}${sqlState ? ` [${sqlState}]` : ''}${hint}`;
}

/** Passwords in URLs (`scheme://user:password@host`), and the configured URLs' own passwords wherever they appear. */
export function redactSecrets(text: string, env: Record<string, string | undefined>): string {
  let redacted = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi, '$1***@');
  for (const name of ['DATABASE_URL', 'REDIS_URL']) {
    const value = env[name];
    if (!value || !URL.canParse(value)) continue;
    const password = decodeURIComponent(new URL(value).password);
    if (password.length >= 3) redacted = redacted.split(password).join('***');
  }
  return redacted;
}

function environment(): Record<string, string | undefined> {
  try {
    return readEnvFiles(process.env);
  } catch {
    return process.env;
  }
}

/**
 * Runs a command-line task: configuration errors and failures print one line
 * and exit 1, never a stack trace or a password.
 */
export async function runCli(task: () => Promise<void>): Promise<void> {
  try {
    await task();
  } catch (error) {
    process.stderr.write(`${redactSecrets(describeFailure(error), environment())}\n`);
    process.exit(1);
  }
}
