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

/** Where a command writes: process.stdout / process.stderr in a shell, a buffer in tests. */
export interface Writer {
  write(text: string): unknown;
}

/**
 * Runs a command-line task: a configuration error or failure writes one line to `stderr`,
 * never a stack trace or a password of `env`, and gives exit code 1.
 */
export async function runCommand(
  task: () => Promise<void>,
  stderr: Writer,
  env: Record<string, string | undefined>,
): Promise<0 | 1> {
  try {
    await task();
    return 0;
  } catch (error) {
    stderr.write(`${redactSecrets(describeFailure(error), env)}\n`);
    return 1;
  }
}

function environment(): Record<string, string | undefined> {
  try {
    return readEnvFiles(process.env);
  } catch {
    return process.env;
  }
}

/** An entry point's one statement: runs the task and exits 1 when it fails. */
export async function runCli(task: () => Promise<void>): Promise<void> {
  if ((await runCommand(task, process.stderr, environment())) !== 0) process.exit(1);
}
