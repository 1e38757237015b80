import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };

describe('protection configuration', () => {
  it('has defaults a frontend can live with, limits on and the bot guard off outside production', () => {
    const config = loadConfig({});
    expect(config.rateLimit).toEqual({
      enabled: true,
      windowMs: 60_000,
      budgets: { guest: 300, user: 600, apiKey: 1200, admin: 1200 },
      signIn: { max: 5, windowMs: 15 * 60_000 },
      signUp: { max: 5, windowMs: 60 * 60_000 },
      failMode: 'closed',
    });
    expect(config.redis).toBeUndefined();
    expect(config.trustProxyHops).toBe(0);
    expect(config.corsOrigins).toEqual([]);
    expect(config.botGuard).toBe(false);
    expect(config.operationLimits.fieldSuggestions).toBe(true);
  });

  it('turns the bot guard on and field suggestions off in production', () => {
    const config = loadConfig(production);
    expect(config.botGuard).toBe(true);
    expect(config.operationLimits.fieldSuggestions).toBe(false);
    expect(loadConfig({ ...production, BOT_GUARD: 'false' }).botGuard).toBe(false);
  });

  it('reads RATE_LIMIT=off, windows as durations and Redis settings', () => {
    const config = loadConfig({
      RATE_LIMIT: 'off',
      RATE_LIMIT_WINDOW: '10s',
      RATE_LIMIT_SIGNIN_WINDOW: '1h',
      REDIS_URL: 'rediss://cache.internal:6380/2',
      REDIS_KEY_PREFIX: 'staging:',
      RATE_LIMIT_FAIL_MODE: 'open',
    });
    expect(config.rateLimit).toMatchObject({
      enabled: false,
      windowMs: 10_000,
      signIn: { windowMs: 3_600_000 },
      failMode: 'open',
    });
    expect(config.redis).toEqual({ url: 'rediss://cache.internal:6380/2', keyPrefix: 'staging:' });
  });

  it('accepts a list of exact origins for CORS', () => {
    expect(
      loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it.each([
    [{ CORS_ORIGINS: '*' }, /CORS_ORIGINS: must be a comma-separated list of origins/],
    [{ CORS_ORIGINS: 'https://app.example.com/' }, /CORS_ORIGINS/],
    [{ CORS_ORIGINS: 'https://app.example.com/path' }, /CORS_ORIGINS/],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ TRUST_PROXY: 'true' }, /TRUST_PROXY: must be an integer/],
    [{ RATE_LIMIT_FAIL_MODE: 'maybe' }, /RATE_LIMIT_FAIL_MODE/],
    [{ RATE_LIMIT_USER: '0' }, /RATE_LIMIT_USER: must be at least 1/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
