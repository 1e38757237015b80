/**
 * Child processes the benchmark starts (service, floor, hello server, load
 * generator) and what it reads about them from /proc: CPU time and peak RSS.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import type { LoadResult, LoadSpec } from './load.js';
import { productionNodeOptions } from './production-node-options.js';

export const projectRoot = new URL('..', import.meta.url).pathname;

/** `npm run build`: the measured service runs the built JS, as production does. */
export function buildService(): void {
  const build = spawnSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
}

/** `node --import tsx <file>`: one process (the tsx CLI would put a second one in front). */
export const tsNode = (file: string, ...preloads: string[]) => [
  '--import',
  'tsx',
  ...preloads.flatMap((p) => ['--import', p]),
  file,
];

/** The environment children get: nothing from the caller's shell but what finds binaries. */
export function cleanEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (const [name, value] of Object.entries(vars)) if (value !== undefined) env[name] = value;
  return env;
}

/**
 * The service as production runs it, against a benchmark database on `port`: NODE_ENV
 * production, the pg driver, no migrations at start (the harness applied them), warnings only,
 * the production image's V8 settings, and no rate limits (a benchmark's load would spend every
 * budget at once). `extra` adds to it or overrides it.
 */
export function productionServiceEnv(
  databaseUrl: string,
  port: number,
  jwtSecret: string,
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  return cleanEnv({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DATABASE_DRIVER: 'pg',
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'warn',
    RATE_LIMIT: 'off',
    JWT_SECRET: jwtSecret,
    NODE_OPTIONS: productionNodeOptions(),
    ...extra,
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  /** Milliseconds from spawn to the first 200 from the readiness path. */
  startupMs: number;
  /** Statements counted so far; only for servers started with `count: true`. */
  statements(): Promise<number>;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  port: number;
  readyPath: string;
  /** Open an IPC channel for bench/count-statements.ts. */
  count?: boolean;
  /** Runs node under this program (valgrind for bench/instructions.ts): its file and arguments, node last. */
  launcher?: { file: string; args: string[] };
  timeoutMs?: number;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Spawns a server and resolves once readyPath answers 200; rejects with its output if it dies first. */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const started = performance.now();
  const child = spawn(
    options.launcher?.file ?? process.execPath,
    [...(options.launcher?.args ?? []), ...options.args],
    {
      cwd: projectRoot,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe', ...(options.count ? (['ipc'] as const) : [])],
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = started + (options.timeoutMs ?? 30_000);
  let startupMs: number | undefined;
  while (startupMs === undefined) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${options.name} exited during start-up:\n${output}`);
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} was not ready within ${options.timeoutMs ?? 30_000} ms:\n${output}`);
    }
    try {
      const response = await fetch(url + options.readyPath);
      await response.arrayBuffer();
      if (response.status === 200) startupMs = performance.now() - started;
    } catch {
      // Not listening yet.
    }
    if (startupMs === undefined) await delay(5);
  }
  const pid = child.pid as number;
  return {
    name: options.name,
    url,
    pid,
    startupMs,
    statements: () =>
      new Promise((resolve, reject) => {
        if (!child.send) return reject(new Error(`${options.name} has no statement counter`));
        child.once('message', (message) => resolve((message as { statements: number }).statements));
        child.send('statements');
      }),
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}

/** Runs bench/load.ts in its own process and returns what autocannon measured. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = spawn(process.execPath, [...tsNode('bench/load.ts'), JSON.stringify(spec)], {
    cwd: projectRoot,
    env: cleanEnv({}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await exited(child);
  if (code !== 0) throw new Error(`load generator failed (exit ${code}):\n${stderr}`);
  return JSON.parse(stdout) as LoadResult;
}

const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** User + system CPU time of a process, in microseconds; null once it is gone. */
export function cpuMicros(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): state is [0], utime [11], stime [12].
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks / clockTicksPerSecond) * 1e6;
  } catch {
    return null;
  }
}

/** CPU time of the Postgres backends a server's pool holds (found by application_name), by pid. */
export async function postgresCpu(admin: pg.Client, applicationName: string): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>(
    'select pid from pg_stat_activity where application_name = $1',
    [applicationName],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    const micros = cpuMicros(pid);
    if (micros !== null) cpu.set(pid, micros);
  }
  return cpu;
}

/** CPU the backends spent between two postgresCpu readings. */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  // A backend that appeared in between spent all its CPU in it.
  let total = 0;
  for (const [pid, micros] of after) total += micros - (before.get(pid) ?? 0);
  return total;
}

/** Resets the kernel's peak-RSS mark (VmHWM) so the next reading covers only what follows. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** VmHWM in MiB: the process's peak resident set since start or the last reset. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}
