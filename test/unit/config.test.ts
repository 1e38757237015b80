import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const error = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('defaults to development on port 3000 with embedded PGlite and migrations on start', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      database: { driver: 'pglite', url: './.data/pglite' },
      migrateOnStart: true,
      seedDemo: true,
      graphiql: true,
      log: { pretty: true, level: 'info' },
    });
    expect(config.auth.jwtSecretGenerated).toBe(true);
    expect(config.auth.tokenTtlSeconds).toBe(900);
  });

  it('picks the driver from DATABASE_URL and DATABASE_DRIVER', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/x' }).database.driver).toBe('pg');
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u@ep-1.eu-central-1.aws.neon.tech/x' }).database.driver,
    ).toBe('neon');
    const neonLocal = loadConfig({
      DATABASE_URL: 'postgres://neon:npg@neon-local:5432/neondb',
      DATABASE_DRIVER: 'neon',
      NEON_LOCAL_HOST: 'neon-local',
    });
    expect(neonLocal.database).toMatchObject({
      driver: 'neon',
      neonLocal: { host: 'neon-local', port: 5432 },
    });
  });

  it('does not migrate a production server database on start unless asked', () => {
    const base = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgres://u@db/x' };
    expect(loadConfig(base).migrateOnStart).toBe(false);
    expect(loadConfig({ ...base, MIGRATE_ON_START: 'true' }).migrateOnStart).toBe(true);
    expect(loadConfig(base).graphiql).toBe(false);
    expect(loadConfig(base).auth.cookie.secure).toBe(true);
  });

  it('keeps sessions 30 minutes past their last use, 7 days at most, unless told otherwise', () => {
    expect(loadConfig({}).auth.session).toEqual({ idleTtlSeconds: 1800, maxTtlSeconds: 7 * 86400 });
    expect(loadConfig({ SESSION_IDLE_TTL: '2h', SESSION_MAX_TTL: '30d' }).auth.session).toEqual({
      idleTtlSeconds: 7200,
      maxTtlSeconds: 30 * 86400,
    });
    // An unset idle timeout follows a longer TOKEN_TTL rather than refusing it.
    expect(loadConfig({ TOKEN_TTL: '1h' }).auth.session.idleTtlSeconds).toBe(3600);
    expect(loadConfig({ SESSION_IDLE_TTL: '10d' }).auth.session.maxTtlSeconds).toBe(10 * 86400);
  });

  it('refuses a token outliving the idle timeout, or an idle timeout outliving the session', () => {
    expect(error({ TOKEN_TTL: '1h', SESSION_IDLE_TTL: '30m' })).toMatch(
      /^TOKEN_TTL: must not exceed SESSION_IDLE_TTL/,
    );
    expect(error({ SESSION_IDLE_TTL: '2d', SESSION_MAX_TTL: '1d' })).toMatch(
      /^SESSION_IDLE_TTL: must not exceed SESSION_MAX_TTL/,
    );
    expect(error({ SESSION_MAX_TTL: 'forever' })).toMatch(/^SESSION_MAX_TTL: must be a duration/);
  });

  it('parses durations', () => {
    expect(loadConfig({ TOKEN_TTL: '1h' }).auth.tokenTtlSeconds).toBe(3600);
    expect(loadConfig({ TOKEN_TTL: '90' }).auth.tokenTtlSeconds).toBe(90);
  });

  it('bounds database calls and shutdown, and purges sessions, by default', () => {
    const config = loadConfig({});
    expect(config.database.statementTimeoutMs).toBe(5000);
    expect(config.shutdownDrainMs).toBe(0);
    expect(config.sessionPurge).toEqual({ intervalMs: 3_600_000, retentionMs: 7 * 86_400_000 });
    const set = loadConfig({
      DB_STATEMENT_TIMEOUT_MS: '0',
      SHUTDOWN_DRAIN_MS: '5000',
      SESSION_PURGE_INTERVAL: '10m',
      SESSION_RETENTION: '1d',
    });
    expect(set.database.statementTimeoutMs).toBe(0);
    expect(set.shutdownDrainMs).toBe(5000);
    expect(set.sessionPurge).toEqual({ intervalMs: 600_000, retentionMs: 86_400_000 });
  });

  it('holds API keys to trusted documents only when asked', () => {
    expect(loadConfig({}).auth.apiKeysTrustedDocumentsOnly).toBe(false);
    expect(loadConfig({ API_KEYS_TRUSTED_DOCUMENTS_ONLY: 'true' }).auth.apiKeysTrustedDocumentsOnly).toBe(
      true,
    );
  });

  it('traces only when OTEL_EXPORTER_OTLP_ENDPOINT is set, to its /v1/traces', () => {
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example.com:4318/',
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc%3D%3D, x-team = core',
      }).tracing,
    ).toEqual({
      url: 'https://collector.example.com:4318/v1/traces',
      headers: { 'api-key': 'abc==', 'x-team': 'core' },
      sampler: 'parentbased_always_on',
      ratio: 1,
    });
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }).tracing,
    ).toMatchObject({ sampler: 'parentbased_traceidratio', ratio: 0.25 });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT: must be an integer/],
    [{ PORT: '70000' }, /^PORT: must be at most 65535/],
    [{ DATABASE_URL: 'mysql://x@y/z' }, /^DATABASE_URL: must be a postgres:\/\//],
    [{ DATABASE_URL: 'not a url' }, /^DATABASE_URL: must be a postgres:\/\//],
    [{ NODE_ENV: 'production' }, /^JWT_SECRET: is required in production/],
    [{ JWT_SECRET: 'short' }, /^JWT_SECRET: must be at least 32 characters/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
    [{ GRAPHIQL: 'maybe' }, /^GRAPHIQL: must be true or false/],
    [{ DATABASE_DRIVER: 'pg' }, /^DATABASE_URL: is required when DATABASE_DRIVER is pg/],
    [{ ADMIN_EMAIL: 'a@b.co' }, /^ADMIN_EMAIL and ADMIN_PASSWORD/],
    [{ DB_STATEMENT_TIMEOUT_MS: '5s' }, /^DB_STATEMENT_TIMEOUT_MS: must be an integer/],
    [{ SHUTDOWN_DRAIN_MS: '-1' }, /^SHUTDOWN_DRAIN_MS: must be an integer/],
    [{ SESSION_PURGE_INTERVAL: 'hourly' }, /^SESSION_PURGE_INTERVAL: must be a duration/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /^OTEL_EXPORTER_OTLP_ENDPOINT: must be an http/],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'api-key' }, /^OTEL_EXPORTER_OTLP_HEADERS: must be a comma-separated/],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'api-key=%zz' }, /^OTEL_EXPORTER_OTLP_HEADERS: /],
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, /^OTEL_TRACES_SAMPLER: /],
    [{ OTEL_TRACES_SAMPLER_ARG: '1.5' }, /^OTEL_TRACES_SAMPLER_ARG: must be a ratio between 0 and 1/],
    [
      { API_KEYS_TRUSTED_DOCUMENTS_ONLY: 'partners' },
      /^API_KEYS_TRUSTED_DOCUMENTS_ONLY: must be true or false/,
    ],
  ])('rejects %o with a message naming the variable', (env, pattern) => {
    const message = error(env);
    expect(message).toMatch(pattern);
    expect(message).not.toContain('\n');
  });
});
