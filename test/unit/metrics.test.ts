import { createSchema, createYoga } from 'graphql-yoga';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { AppError } from '../../src/graphql/errors.js';
import { useErrorMasking } from '../../src/http/plugins/error-masking.js';
import { useMetrics } from '../../src/http/plugins/metrics.js';
import { createLogger } from '../../src/logger.js';
import { parseMetrics, valueOf } from '../helpers/prometheus.js';

const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };

describe('metrics configuration', () => {
  it('is off by default in production and on elsewhere', () => {
    expect(loadConfig(production).metrics.enabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).metrics.enabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).metrics.enabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', METRICS: 'false' }).metrics.enabled).toBe(false);
  });

  it('refuses METRICS=true in production without a token or a separate port', () => {
    expect(() => loadConfig({ ...production, METRICS: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, METRICS: 'true' })).toThrow(/^METRICS: .*METRICS_TOKEN/);
    expect(loadConfig({ ...production, METRICS: 'true', METRICS_TOKEN: 't'.repeat(16) }).metrics).toEqual({
      enabled: true,
      token: 't'.repeat(16),
      port: undefined,
    });
    expect(loadConfig({ ...production, METRICS: 'true', METRICS_PORT: '9464' }).metrics.port).toBe(9464);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16/);
    expect(() => loadConfig({ PORT: '3000', METRICS_PORT: '3000' })).toThrow(/METRICS_PORT: must differ/);
    expect(() => loadConfig({ METRICS: 'maybe' })).toThrow(/METRICS: must be true or false/);
  });
});

describe('rate-limit refusals', () => {
  // The service's rate limits answer RATE_LIMITED as a GraphQL error; a resolver raising the
  // same error stands in for them so the count is checked whatever limits are configured.
  const schema = createSchema({
    typeDefs: 'type Query { limited: String, fine: String }',
    resolvers: {
      Query: {
        limited: () => {
          throw new AppError('RATE_LIMITED', 'Too many requests', { retryAfter: 30 });
        },
        fine: () => 'ok',
      },
    },
  });

  it('are counted once per refused request, beside the errors by code', async () => {
    const registry = new Registry();
    const logger = createLogger({ log: { level: 'silent', pretty: false } });
    const yoga = createYoga({
      schema,
      maskedErrors: false,
      plugins: [useErrorMasking(logger), useMetrics(registry)],
    });
    const post = (query: string) =>
      yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });

    await post('query Fine { fine }');
    const refused = await post('query Busy { a: limited b: limited fine }');
    expect(
      (await refused.json()).errors.map((e: { extensions: { code: string } }) => e.extensions.code),
    ).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);

    const samples = parseMetrics(await registry.metrics());
    expect(valueOf(samples, 'acquisitions_rate_limited_requests_total', { operationName: 'Busy' })).toBe(1);
    expect(
      valueOf(samples, 'acquisitions_rate_limited_requests_total', { operationName: 'Fine' }),
    ).toBeUndefined();
    expect(valueOf(samples, 'acquisitions_graphql_errors_total', { code: 'RATE_LIMITED' })).toBe(2);
    expect(
      valueOf(samples, 'acquisitions_http_request_duration_seconds_count', {
        operationName: 'Busy',
        outcome: 'error',
      }),
    ).toBe(1);
    expect(
      valueOf(samples, 'acquisitions_http_request_duration_seconds_count', {
        operationName: 'Fine',
        outcome: 'ok',
      }),
    ).toBe(1);
  });
});
