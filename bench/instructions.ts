/**
 * Instructions per request, for `bench/ab.ts --instructions`: the service run under
 * `valgrind --tool=callgrind`, counting only while a round's requests are sent. On a shared
 * machine the CPU time of a request moves by ±25 % from one round to the next; the number of
 * instructions it executes moves less (up to ~10 % between runs at c=1: timing still decides
 * how requests batch and when the collector runs). It counts work, not time: cache misses
 * and system calls are not in it.
 *
 * V8 runs with `--single-threaded`: its optimizing compiler and its collector then run on the
 * main thread, in step with the requests (under valgrind a background compiler thread lags
 * minutes behind and its backlog would land in the window). What TurboFan itself executes is
 * reported apart: a new connection deoptimizes some of node's http code, which is compiled
 * again in each round.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv } from './processes.js';

/** valgrind's own command line before the program: callgrind, instrumenting nothing until told. */
export function callgrindArgs(outFile: string): string[] {
  return [
    '--tool=callgrind',
    '--instr-atstart=no',
    // V8 writes machine code into the heap; valgrind must notice it being rewritten.
    '--smc-check=all-non-file',
    `--callgrind-out-file=${outFile}`,
    process.execPath,
    '--single-threaded',
  ];
}

export const callgrindOutFile = (name: string) => join(tmpdir(), `ab-callgrind-${name}-${process.pid}.out`);

/**
 * The process valgrind runs the program in: /usr/bin/valgrind is a launcher that starts
 * valgrind.bin as its child.
 */
function callgrindPid(outFile: string): number {
  const pid = execFileSync('pgrep', ['-f', `callgrind-out-file=${outFile}`], { encoding: 'utf8' })
    .split('\n')
    .map(Number)
    .filter((n) => n > 0 && n !== process.pid)
    .at(-1);
  if (!pid) throw new Error(`no callgrind process writes ${outFile}`);
  return pid;
}

/**
 * callgrind_control finds the process through a file named after the user and host in the
 * environment, so it gets the environment the service has (HOST=127.0.0.1, no USER).
 */
function control(outFile: string, ...args: string[]): void {
  execFileSync('callgrind_control', [...args, String(callgrindPid(outFile))], {
    env: cleanEnv({ HOST: '127.0.0.1' }),
    stdio: 'ignore',
  });
}

/** Instructions executed while `work` ran: all of them, and TurboFan's share. */
export async function countInstructions(
  outFile: string,
  work: () => Promise<void>,
): Promise<{ total: number; compiler: number }> {
  control(outFile, '--instr=on');
  await work();
  control(outFile, '--instr=off');
  const dir = tmpdir();
  const base = outFile.slice(dir.length + 1);
  const dumps = () => readdirSync(dir).filter((f) => f.startsWith(`${base}.`));
  const before = new Set(dumps());
  control(outFile, '--dump');
  const dump = dumps().find((f) => !before.has(f));
  if (!dump) throw new Error(`callgrind wrote no dump for ${outFile}`);
  const path = join(dir, dump);
  const total = Number(/^totals:\s+(\d+)/m.exec(readFileSync(path, 'utf8'))?.[1] ?? NaN);
  const annotated = execFileSync('callgrind_annotate', ['--threshold=100', path], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  let compiler = 0;
  for (const line of annotated.split('\n')) {
    const match = /^\s*([\d,]+) .*compiler::/.exec(line);
    if (match?.[1]) compiler += Number(match[1].replaceAll(',', ''));
  }
  return { total, compiler };
}
