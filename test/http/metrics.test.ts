import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testDriver } from '../helpers/database.js';
import { parseMetrics, valueOf, type Sample } from '../helpers/prometheus.js';

const token = 'metrics-token-for-the-test-suite';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ METRICS_TOKEN: token, DB_POOL_MAX: '7' });
});
afterAll(() => t.close());

async function scrape(): Promise<Sample[]> {
  const response = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return parseMetrics(await response.text());
}

const http = (labels: Record<string, string>) => (samples: Sample[]) =>
  valueOf(samples, 'acquisitions_http_request_duration_seconds_count', labels) ?? 0;

describe('/metrics protection', () => {
  it('answers 401 without the bearer token, or with a wrong one', async () => {
    const none = await fetch(`${t.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await none.text()).not.toContain('process_cpu');

    for (const authorization of [`Bearer ${token}x`, `Basic ${token}`, 'Bearer', token]) {
      const response = await fetch(`${t.url}/metrics`, { headers: { authorization } });
      expect(response.status, authorization).toBe(401);
    }
  });

  it('serves the Prometheus text format with the token', async () => {
    const response = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseMetrics(await response.text());
    // The process's own metrics are there; their value is CPU since the registry began, which
    // a worker that loaded everything earlier may read as 0 at the first scrape.
    expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'acquisitions_graphql_errors_total', { code: 'FORBIDDEN' })).toBe(0);
  });
});

describe('GraphQL metrics', () => {
  it('count requests and their duration by operation and outcome', async () => {
    const ok = http({
      operationName: 'MetricsProbe',
      operationType: 'query',
      statusCode: '200',
      outcome: 'ok',
    });
    const executed = (s: Sample[]) =>
      valueOf(s, 'graphql_envelop_request', { operationName: 'MetricsProbe', operationType: 'query' }) ?? 0;
    const before = await scrape();

    for (let i = 0; i < 3; i++) {
      const response = await t.gql('query MetricsProbe { __typename }');
      expect(response.body.errors).toBeUndefined();
    }

    const after = await scrape();
    expect(ok(after) - ok(before)).toBe(3);
    expect(executed(after) - executed(before)).toBe(3);
    const duration = (s: Sample[]) =>
      valueOf(s, 'graphql_envelop_request_duration_count', { operationName: 'MetricsProbe' }) ?? 0;
    expect(duration(after) - duration(before)).toBe(3);
    expect(
      valueOf(after, 'acquisitions_http_request_duration_seconds_sum', {
        operationName: 'MetricsProbe',
        outcome: 'ok',
      }),
    ).toBeGreaterThan(0);
  });

  it('count errors by the code clients receive, and the request as an error', async () => {
    const badInput = (s: Sample[]) =>
      valueOf(s, 'acquisitions_graphql_errors_total', { code: 'BAD_USER_INPUT' }) ?? 0;
    const failedProbe = http({ operationName: 'BrokenProbe', outcome: 'error' });
    const before = await scrape();

    const response = await t.gql('query BrokenProbe { noSuchField }');
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const syntax = await t.gql('query {');
    expect(syntax.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const after = await scrape();
    expect(badInput(after) - badInput(before)).toBe(2);
    expect(failedProbe(after) - failedProbe(before)).toBe(1);
  });

  it('keep client-chosen operation names from becoming arbitrary label values', async () => {
    const other = http({ operationName: 'other', outcome: 'error' });
    const before = await scrape();
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Real { __typename }', operationName: 'not a name {}' }),
    });
    expect(response.status).toBeLessThan(500);
    const after = await scrape();
    expect(other(after) - other(before)).toBe(1);
    expect(after.some((s) => s.labels.operationName === 'not a name {}')).toBe(false);
  });

  it('leave /health and /metrics out of the request counts', async () => {
    const total = (s: Sample[]) =>
      s
        .filter((x) => x.name === 'acquisitions_http_request_duration_seconds_count')
        .reduce((sum, x) => sum + x.value, 0);
    const before = await scrape();
    await fetch(`${t.url}/health/live`);
    await scrape();
    expect(total(await scrape())).toBe(total(before));
  });
});

describe('database pool metrics', () => {
  it.runIf(testDriver !== 'pglite')('report connections in use, idle, waiting and the limit', async () => {
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    const samples = await scrape();
    expect(valueOf(samples, 'acquisitions_db_pool_max_connections')).toBe(7);
    expect(valueOf(samples, 'acquisitions_db_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'acquisitions_db_pool_connections', { state: 'in_use' })).toBe(0);
    expect(valueOf(samples, 'acquisitions_db_pool_waiting_requests')).toBe(0);
  });

  it.runIf(testDriver === 'pglite')('are absent for PGlite, which has no pool', async () => {
    const samples = await scrape();
    expect(samples.filter((s) => s.name.startsWith('acquisitions_db_pool'))).toEqual([]);
  });
});

describe('/metrics on apps that need no database', () => {
  const silent = createLogger(loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }));
  // No database is reached: nothing here queries it, and the pool connects lazily.
  const start = (env: Record<string, string>): Promise<App> =>
    startApp(
      loadConfig({
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
        MIGRATE_ON_START: 'false',
        JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
        ...env,
      }),
      { logger: silent },
    );

  it('counts requests the rate limits refuse', async () => {
    const app = await start({ NODE_ENV: 'test', RATE_LIMIT: 'true', RATE_LIMIT_GUEST: '1' });
    try {
      const ask = () =>
        fetch(`${app.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'query Limited { me { id } }' }),
        });
      await ask();
      const refused = await ask();
      expect(refused.status).toBe(429);
      expect((await refused.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
      const samples = parseMetrics(await (await fetch(`${app.url}/metrics`)).text());
      expect(valueOf(samples, 'acquisitions_rate_limited_requests_total', { operationName: 'Limited' })).toBe(
        1,
      );
      expect(valueOf(samples, 'acquisitions_graphql_errors_total', { code: 'RATE_LIMITED' })).toBe(1);
      expect(
        valueOf(samples, 'acquisitions_http_request_duration_seconds_count', {
          operationName: 'Limited',
          statusCode: '429',
          outcome: 'error',
        }),
      ).toBe(1);
    } finally {
      await app.stop();
    }
  });

  it('is off in production unless METRICS=true', async () => {
    const app = await start({ NODE_ENV: 'production' });
    try {
      expect(app.metricsUrl).toBeUndefined();
      expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
    } finally {
      await app.stop();
    }
  });

  it('moves to its own listener with METRICS_PORT, and only there', async () => {
    const app = await start({ NODE_ENV: 'production', METRICS: 'true', METRICS_PORT: '0' });
    try {
      expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
      expect(app.metricsUrl).toBeDefined();
      const response = await fetch(`${app.metricsUrl}/metrics`);
      expect(response.status).toBe(200);
      // The same security headers as the main listener, production's HSTS included.
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('strict-transport-security')).toContain('max-age=');
      expect(await response.text()).toContain('acquisitions_graphql_errors_total');
      expect((await fetch(`${app.metricsUrl}/graphql`)).status).toBe(404);
    } finally {
      await app.stop();
    }
    await expect(fetch(`${app.metricsUrl}/metrics`)).rejects.toThrow();
  });
});
