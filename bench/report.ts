/**
 * The benchmark's numbers and their rendering: pure functions only, so the
 * statistics and the Markdown table are unit-tested without running a load.
 */

/** One load round against one server. */
export interface Round {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Peak resident set of the server process during the round (MiB). */
  peakRssMb: number;
  /** The server process's CPU time (user + system) per completed request. */
  nodeCpuUsPerReq: number | null;
  /** CPU time of the Postgres backends serving this server's pool, per completed request. */
  postgresCpuUsPerReq: number | null;
  /** autocannon's own CPU time per request: its share of the machine (JSON only). */
  loadGeneratorCpuUsPerReq: number | null;
  /** Connection errors, timeouts and non-2xx answers: a round with any is not a clean measurement. */
  failures: number;
}

/** One server on one operation: medians over rounds, plus the rounds themselves. */
export interface Side {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** The largest peak over the rounds. */
  peakRssMb: number;
  nodeCpuUsPerReq: number | null;
  postgresCpuUsPerReq: number | null;
  statementsPerRequest: number | null;
  rounds: Round[];
}

export type OperationId = 'Q1' | 'Q2' | 'Q3' | 'Q4' | 'Q5' | 'Q6';

export interface OperationReport {
  title: string;
  /** What the service is compared with: the floor server, or the hello server for Q1. */
  floorName: string;
  /** `unavailable`: the service cannot answer it yet; `mismatch`: service and floor disagree on the data. */
  status: 'ok' | 'unavailable' | 'mismatch';
  reason?: string;
  service?: Side;
  floor?: Side;
  /** service.rps / floor.rps. */
  ratio: number | null;
  /** SQL statements the service sent per request. */
  statementsPerRequest: number | null;
  /** Q5 only: /health/live latency on the same server while signIn is flooded. */
  healthUnderLoad?: { service?: LatencyProbe; floor?: LatencyProbe };
}

export interface LatencyProbe {
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

export interface Check {
  name: string;
  /** The measured value, already in the unit of `target`. */
  value: number | null;
  /** Human-readable target, e.g. "≥ 0.5". */
  target: string;
  pass: boolean | null;
}

export interface BenchReport {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; platform: string; loadAverage: number[] };
  versions: Record<string, string>;
  settings: {
    connections: number;
    durationSeconds: number;
    warmupSeconds: number;
    rounds: number;
    quick: boolean;
    seed: { companies: number; acquisitions: number; users: number; seeder: string };
    statementCounting: string;
  };
  operations: Partial<Record<OperationId, OperationReport>>;
  coldStartMs: { pg: number | null; pglite: number | null; pgliteFirstStart?: number | null };
  checks: Check[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Median of the values that exist; null when none does. */
export function medianOrNull(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return present.length === 0 ? null : median(present);
}

/** a / b, or null when either is missing or b is zero. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null;
  return a / b;
}

/** (max - min) / median of the rounds' throughput: how far this machine let the rounds wander. */
export function spread(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = median(values);
  return m === 0 ? null : (Math.max(...values) - Math.min(...values)) / m;
}

export function summarizeRounds(rounds: Round[], statementsPerRequest: number | null): Side {
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    peakRssMb: Math.max(...rounds.map((r) => r.peakRssMb)),
    nodeCpuUsPerReq: medianOrNull(rounds.map((r) => r.nodeCpuUsPerReq)),
    postgresCpuUsPerReq: medianOrNull(rounds.map((r) => r.postgresCpuUsPerReq)),
    statementsPerRequest,
    rounds,
  };
}

function atLeast(name: string, value: number | null, min: number): Check {
  return { name, value, target: `≥ ${min}`, pass: value === null ? null : value >= min };
}

function atMost(name: string, value: number | null, max: number, unit = ''): Check {
  return { name, value, target: `≤ ${max}${unit}`, pass: value === null ? null : value <= max };
}

/** A read must take its one statement: none counted means the count itself is broken. */
function exactly(name: string, value: number | null, wanted: number): Check {
  return { name, value, target: `= ${wanted}`, pass: value === null ? null : value === wanted };
}

function below(name: string, value: number | null, max: number, unit: string): Check {
  return { name, value, target: `< ${max}${unit}`, pass: value === null ? null : value < max };
}

/** The issue's targets, each with its measured value; null where the operation could not be measured. */
export function evaluateTargets(
  operations: BenchReport['operations'],
  coldStartMs: BenchReport['coldStartMs'],
): Check[] {
  const ok = (id: OperationId) => (operations[id]?.status === 'ok' ? operations[id] : undefined);
  const checks: Check[] = [];
  for (const id of ['Q3', 'Q4'] as const) {
    const op = ok(id);
    checks.push(atLeast(`${id} throughput × floor`, op?.ratio ?? null, 0.7));
    checks.push(atMost(`${id} p99 × floor p99`, ratio(op?.service?.p99Ms, op?.floor?.p99Ms), 2));
    checks.push(exactly(`${id} SQL statements per request`, op?.statementsPerRequest ?? null, 1));
  }
  const q6 = ok('Q6');
  checks.push(atLeast('Q6 throughput × floor', q6?.ratio ?? null, 0.6));
  checks.push(exactly('Q6 SQL statements per request', q6?.statementsPerRequest ?? null, 1));
  checks.push(atLeast('Q1 throughput × hello server', ok('Q1')?.ratio ?? null, 0.8));
  // Against the floor's own `me`, not Q1: the floor's `me` itself runs at ~0.1 × the hello server.
  checks.push(atLeast('Q2 throughput × floor', ok('Q2')?.ratio ?? null, 0.5));
  const peaks = Object.values(operations)
    .map((op) => op?.service?.peakRssMb)
    .filter((v): v is number => v !== undefined);
  checks.push(below('service peak RSS under load', peaks.length ? Math.max(...peaks) : null, 200, ' MiB'));
  checks.push(below('cold start to healthy (pg)', coldStartMs.pg, 1500, ' ms'));
  return checks;
}

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

function range(values: number[]): string {
  if (values.length === 0) return '–';
  const lo = Math.round(Math.min(...values));
  const hi = Math.round(Math.max(...values));
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

function sideCells(side: Side | undefined): string[] {
  if (!side) return ['–', '–', '–', '–', '–', '–'];
  return [
    `${Math.round(side.rps)} (${range(side.rounds.map((r) => r.rps))})`,
    `${fixed(side.p50Ms, 0)} / ${fixed(side.p99Ms, 0)}`,
    fixed(side.peakRssMb, 0),
    fixed(side.nodeCpuUsPerReq, 0),
    fixed(side.postgresCpuUsPerReq, 0),
    fixed(side.statementsPerRequest, 2),
  ];
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function measuredSides(report: BenchReport): [string, Side][] {
  return Object.entries(report.operations).flatMap(([id, op]) =>
    op?.service && op.floor
      ? ([
          [`${id} service`, op.service],
          [`${id} ${op.floorName}`, op.floor],
        ] as [string, Side][])
      : [],
  );
}

/** How far the rounds of each side wandered: the run's own measure of machine noise. */
function noiseLine(report: BenchReport): string {
  const parts = measuredSides(report).map(([name, side]) => {
    const value = spread(side.rounds.map((r) => r.rps));
    return `${name} ${value === null ? '–' : `${Math.round(value * 100)}%`}`;
  });
  return `Round-to-round spread of req/s, (max − min) / median: ${parts.join(', ') || '–'}.`;
}

function failureLine(report: BenchReport): string | null {
  const parts = measuredSides(report)
    .map(([name, side]) => [name, side.rounds.reduce((sum, r) => sum + r.failures, 0)] as const)
    .filter(([, failures]) => failures > 0)
    .map(([name, failures]) => `${name} ${failures}`);
  return parts.length
    ? `Failed requests (errors, timeouts, non-2xx) — these rounds are not clean: ${parts.join(', ')}.`
    : null;
}

/** The Markdown page bench/results/latest.md. */
export function renderMarkdown(report: BenchReport): string {
  const s = report.settings;
  const lines: string[] = [
    '# Benchmark: service vs floor',
    '',
    `${report.date} · ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGb} GB · ` +
      Object.entries(report.versions)
        .map(([name, version]) => `${name} ${version}`)
        .join(', '),
    '',
    `autocannon c=${s.connections}, ${s.rounds} alternating rounds of ${s.durationSeconds} s per server ` +
      `after ${s.warmupSeconds} s warm-up${s.quick ? ' (quick smoke: not a measurement)' : ''}; ` +
      `seed ${s.seed.companies} companies / ${s.seed.acquisitions} acquisitions / ${s.seed.users} users ` +
      `(${s.seed.seeder}). Statements counted by ${s.statementCounting}.`,
    '',
    'req/s is the median of the rounds (their range in brackets); latencies are medians of the rounds’ ' +
      'p50 / p99; CPU is per completed request.',
    '',
    row([
      'op',
      'server',
      'req/s (rounds)',
      'p50 / p99 ms',
      'peak RSS MiB',
      'Node CPU µs/req',
      'Postgres CPU µs/req',
      'SQL/req',
      '× floor',
    ]),
    row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  for (const [id, op] of Object.entries(report.operations)) {
    if (!op) continue;
    if (op.status === 'unavailable') {
      lines.push(row([id, 'service', `unavailable: ${op.reason ?? ''}`, '', '', '', '', '', '']));
      continue;
    }
    const mark = op.status === 'mismatch' ? ' ⚠ data mismatch' : '';
    lines.push(row([`${id} ${op.title}`, `service${mark}`, ...sideCells(op.service), fixed(op.ratio, 2)]));
    lines.push(row(['', op.floorName, ...sideCells(op.floor), '1.00']));
    const probe = op.healthUnderLoad;
    if (probe) {
      for (const [who, p] of [
        ['service', probe.service],
        [op.floorName, probe.floor],
      ] as const) {
        if (p) {
          const label = `/health/live during the flood (${who})`;
          lines.push(row(['', label, fixed(p.rps, 0), `${p.p50Ms} / ${p.p99Ms}`, '', '', '', '', '']));
        }
      }
    }
  }
  lines.push('', noiseLine(report));
  const failed = failureLine(report);
  if (failed) lines.push('', failed);
  lines.push(
    '',
    `Cold start, process start to \`/health\` 200: pg ${fixed(report.coldStartMs.pg, 0)} ms, ` +
      `PGlite ${fixed(report.coldStartMs.pglite, 0)} ms (existing data directory)` +
      (report.coldStartMs.pgliteFirstStart != null
        ? `, PGlite first start ${fixed(report.coldStartMs.pgliteFirstStart, 0)} ms (creates and migrates)`
        : '') +
      '.',
    '',
    '| target | measured | wanted | |',
    '| --- | ---: | --- | --- |',
    ...report.checks.map((c) =>
      row([c.name, fixed(c.value, 2), c.target, c.pass === null ? 'not measured' : c.pass ? 'pass' : 'FAIL']),
    ),
    '',
  );
  return lines.join('\n');
}
