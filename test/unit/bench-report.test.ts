import { describe, expect, it } from 'vitest';
import { firstDifference } from '../../bench/compare.js';
import {
  evaluateTargets,
  median,
  ratio,
  renderMarkdown,
  spread,
  summarizeRounds,
  type BenchReport,
  type OperationReport,
  type Round,
} from '../../bench/report.js';

const round = (rps: number, extra: Partial<Round> = {}): Round => ({
  rps,
  p50Ms: 10,
  p99Ms: 40,
  peakRssMb: 100,
  nodeCpuUsPerReq: 500,
  postgresCpuUsPerReq: 900,
  loadGeneratorCpuUsPerReq: 300,
  failures: 0,
  ...extra,
});

function operation(serviceRps: number[], floorRps: number[], statements = 1): OperationReport {
  const service = summarizeRounds(
    serviceRps.map((rps) => round(rps)),
    statements,
  );
  const floor = summarizeRounds(
    floorRps.map((rps) => round(rps, { p99Ms: 30, peakRssMb: 80 })),
    1,
  );
  return {
    title: 'acquisitions',
    floorName: 'floor',
    status: 'ok',
    service,
    floor,
    ratio: service.rps / floor.rps,
    statementsPerRequest: statements,
  };
}

function report(operations: BenchReport['operations']): BenchReport {
  const coldStartMs = { pg: 800, pglite: 1600 };
  return {
    date: '2026-01-01T00:00:00.000Z',
    machine: { cpus: 2, cpuModel: 'Test CPU', memoryGb: 24, platform: 'linux', loadAverage: [1, 1, 1] },
    versions: { node: '20.20.2' },
    settings: {
      connections: 32,
      durationSeconds: 10,
      warmupSeconds: 10,
      rounds: 3,
      quick: false,
      seed: { companies: 10, acquisitions: 100, users: 1, seeder: 'test' },
      statementCounting: 'a test',
    },
    operations,
    coldStartMs,
    checks: evaluateTargets(operations, coldStartMs),
  };
}

describe('bench statistics', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('gives no ratio when a side is missing or zero', () => {
    expect(ratio(50, 200)).toBe(0.25);
    expect(ratio(50, 0)).toBeNull();
    expect(ratio(null, 10)).toBeNull();
    expect(ratio(10, undefined)).toBeNull();
  });

  it('measures round-to-round spread relative to the median', () => {
    expect(spread([90, 100, 110])).toBeCloseTo(0.2);
    expect(spread([100])).toBeNull();
  });

  it('summarizes rounds with medians and the largest peak RSS', () => {
    const side = summarizeRounds([round(100, { peakRssMb: 120 }), round(300), round(200, { p99Ms: 80 })], 1);
    expect(side).toMatchObject({ rps: 200, p99Ms: 40, peakRssMb: 120, statementsPerRequest: 1 });
  });
});

describe('bench targets', () => {
  it('passes, fails, or reports "not measured" per target', () => {
    const checks = evaluateTargets(
      { Q3: operation([700, 710, 720], [1000, 1000, 1000]), Q4: operation([300], [1000], 3) },
      { pg: 2000, pglite: null },
    );
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName['Q3 throughput × floor']).toMatchObject({ pass: true });
    expect(byName['Q3 throughput × floor']?.value).toBeCloseTo(0.71);
    expect(byName['Q4 throughput × floor']).toMatchObject({ pass: false });
    expect(byName['Q4 SQL statements per request']).toMatchObject({ value: 3, pass: false });
    expect(byName['Q1 throughput × hello server']).toMatchObject({ value: null, pass: null });
    expect(byName['cold start to healthy (pg)']).toMatchObject({ pass: false });
  });

  it('fails a read that counted no statement: its count did not see the driver', () => {
    const checks = evaluateTargets({ Q3: operation([800], [1000], 0) }, { pg: null, pglite: null });
    expect(checks.find((c) => c.name === 'Q3 SQL statements per request')).toMatchObject({
      value: 0,
      target: '= 1',
      pass: false,
    });
  });

  it('wants Q3 and Q4 at 0.7 × the floor and Q6, a page after a cursor, at 0.6 × in one statement', () => {
    const checks = evaluateTargets(
      {
        Q3: operation([690], [1000]),
        Q4: operation([700], [1000]),
        Q6: operation([600], [1000], 2),
      },
      { pg: null, pglite: null },
    );
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName['Q3 throughput × floor']).toMatchObject({ target: '≥ 0.7', pass: false });
    expect(byName['Q4 throughput × floor']).toMatchObject({ target: '≥ 0.7', pass: true });
    expect(byName['Q6 throughput × floor']).toMatchObject({ value: 0.6, target: '≥ 0.6', pass: true });
    expect(byName['Q6 SQL statements per request']).toMatchObject({ value: 2, target: '= 1', pass: false });
    expect(
      evaluateTargets({ Q6: operation([590], [1000]) }, { pg: null, pglite: null }).find(
        (c) => c.name === 'Q6 throughput × floor',
      ),
    ).toMatchObject({ pass: false });
  });

  it("compares Q2 with the floor's own Q2, not with Q1", () => {
    // The floor's `me` at ~0.1 × the hello server, as measured: Q2 at 0.6 × that floor but
    // far below 0.5 × Q1 must pass.
    const checks = evaluateTargets(
      { Q1: operation([9000], [10_000]), Q2: operation([600], [1000]) },
      { pg: null, pglite: null },
    );
    expect(checks.find((c) => c.name === 'Q2 throughput × floor')).toMatchObject({
      value: 0.6,
      target: '≥ 0.5',
      pass: true,
    });
    expect(checks.some((c) => c.name.includes('× Q1'))).toBe(false);
    const slow = evaluateTargets({ Q2: operation([400], [1000]) }, { pg: null, pglite: null });
    expect(slow.find((c) => c.name === 'Q2 throughput × floor')).toMatchObject({ value: 0.4, pass: false });
  });

  it('ignores operations the service could not serve', () => {
    const unavailable: OperationReport = {
      title: 'company',
      floorName: 'floor',
      status: 'unavailable',
      reason: 'no such field',
      ratio: null,
      statementsPerRequest: null,
    };
    const checks = evaluateTargets({ Q4: unavailable, Q6: unavailable }, { pg: null, pglite: null });
    expect(checks.find((c) => c.name === 'Q4 throughput × floor')?.pass).toBeNull();
    expect(checks.find((c) => c.name === 'Q6 throughput × floor')?.pass).toBeNull();
    expect(checks.find((c) => c.name === 'Q6 SQL statements per request')?.pass).toBeNull();
  });
});

describe('bench Markdown', () => {
  it('renders one row per server with the ratio, noise and targets', () => {
    const markdown = renderMarkdown(
      report({
        Q3: operation([700, 710, 720], [1000, 1100, 1000]),
        Q4: {
          title: 'company',
          floorName: 'floor',
          status: 'unavailable',
          reason: 'Cannot query field "company"',
          ratio: null,
          statementsPerRequest: null,
        },
      }),
    );
    expect(markdown).toContain(
      '| Q3 acquisitions | service | 710 (700–720) | 10 / 40 | 100 | 500 | 900 | 1.00 | 0.71 |',
    );
    expect(markdown).toContain('|  | floor | 1000 (1000–1100) | 10 / 30 | 80 | 500 | 900 | 1.00 | 1.00 |');
    expect(markdown).toContain('| Q4 | service | unavailable: Cannot query field "company" |');
    expect(markdown).toContain('Q3 service 3%, Q3 floor 10%');
    expect(markdown).toContain('| Q3 throughput × floor | 0.71 | ≥ 0.7 | pass |');
    expect(markdown).toContain('| Q6 throughput × floor | – | ≥ 0.6 | not measured |');
    expect(markdown).toContain('| Q1 throughput × hello server | – | ≥ 0.8 | not measured |');
    expect(markdown).not.toContain('Failed requests');
  });

  it('flags rounds that had failed requests', () => {
    const op = operation([700], [1000]);
    op.service?.rounds.push(round(0, { failures: 12 }));
    expect(renderMarkdown(report({ Q3: op }))).toContain('Q3 service 12');
  });
});

describe('bench data check', () => {
  it('names the first path where the answers differ', () => {
    const floor = { acquisitions: { edges: [{ node: { status: 'PENDING', price: null } }] } };
    expect(firstDifference(floor, structuredClone(floor))).toBeNull();
    expect(
      firstDifference(floor, { acquisitions: { edges: [{ node: { status: 'PENDING', price: '1' } }] } }),
    ).toBe('$.acquisitions.edges[0].node.price: floor null, service "1"');
    expect(firstDifference([1, 2], [1])).toBe('$[1]: floor 2, service undefined');
  });
});
