/**
 * The load generator, run as its own process by bench/run.ts so that autocannon
 * never shares an event loop with a server it measures. Reads a LoadSpec (JSON)
 * from argv[2]; prints one LoadResult (JSON) on stdout.
 */
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
  /** Requests per second over all connections; unlimited when absent. */
  overallRate?: number;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** This process's own CPU time: how much of the machine the load generator took. */
  loadGeneratorCpuMs: number;
}

const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
const cpuBefore = process.cpuUsage();
const result = await autocannon({
  url: spec.url,
  method: spec.method,
  headers: spec.headers,
  body: spec.body,
  connections: spec.connections,
  duration: spec.durationSeconds,
  overallRate: spec.overallRate,
});
const cpu = process.cpuUsage(cpuBefore);
const output: LoadResult = {
  requests: result.requests.total,
  durationSeconds: result.duration,
  rps: result.requests.total / result.duration,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  errors: result.errors,
  timeouts: result.timeouts,
  non2xx: result.non2xx,
  loadGeneratorCpuMs: (cpu.user + cpu.system) / 1000,
};
process.stdout.write(`${JSON.stringify(output)}\n`);
