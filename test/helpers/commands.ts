import { spawn } from 'node:child_process';
import { createPasswordHasher } from '../../src/auth/password.js';
import { runCommand, type Writer } from '../../src/cli.js';
import type { Config } from '../../src/config.js';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A Writer that keeps what it is given. */
function buffer(): Writer & { text: string } {
  return {
    text: '',
    write(text: string) {
      this.text += text;
    },
  };
}

/**
 * Runs a command in this process as its entry point would (src/cli.ts): its output is
 * captured, a failure gives code 1 and one line on stderr with `env`'s secrets redacted.
 */
export async function runInProcess(
  command: (stdout: Writer) => Promise<void>,
  env: Record<string, string | undefined>,
): Promise<CommandResult> {
  const stdout = buffer();
  const stderr = buffer();
  const code = await runCommand(() => command(stdout), stderr, env);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** What `npm run db:seed`'s entry point hashes the generated users' password with. */
export const hashPassword = (password: string, params: Config['auth']['argon2']) =>
  createPasswordHasher(params).hash(password);

/** Runs `node <args>` in a process of its own with only `env` (and PATH) set. */
export function runNode(args: string[], env: Record<string, string>, stdin = ''): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
