import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { testDriver } from '../helpers/database.js';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the real entry point (src/index.ts through tsx) with a controlled environment. */
function runService(
  env: Record<string, string>,
  onReady?: (child: ReturnType<typeof spawn>, out: string) => void,
) {
  return new Promise<Run>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let ready = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      if (!ready && stdout.includes('acquisitions api listening')) {
        ready = true;
        onReady?.(child, stdout);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

// The service's own process, on its embedded default database: once per run, not per driver.
describe.runIf(testDriver === 'pglite')('start-up', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'http://nope' }, 'DATABASE_URL'],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@127.0.0.1:1/x' }, 'JWT_SECRET'],
  ])('refuses %o with one line and exit code 1', async (env, variable) => {
    const run = await runService(env);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${variable}`));
    expect(run.stderr).not.toMatch(/\s+at /);
  });

  it('starts, serves /health/live and exits 0 on SIGTERM', async () => {
    let live = 0;
    const run = await runService(
      { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', PGLITE_DATA_DIR: 'memory://' },
      (child, out) => {
        const url = /"url":"([^"]+)"/.exec(out)?.[1];
        void fetch(`${url}/health/live`)
          .then((r) => (live = r.status))
          .finally(() => child.kill('SIGTERM'));
      },
    );
    expect(live).toBe(200);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('shutting down');
  });
});
