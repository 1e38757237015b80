import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('/health', () => {
  it('reports ok with the database check', async () => {
    const response = await fetch(`${t.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body).toMatchObject({ status: 'ok', version: '0.1.0', checks: { database: { status: 'ok' } } });
    expect(typeof body.uptime).toBe('number');
    expect(typeof body.checks.database.latencyMs).toBe('number');
    expect(new Date(body.timestamp).toString()).not.toBe('Invalid Date');
  });

  it('answers /health/live without touching the database', async () => {
    const before = t.queries.length;
    const response = await fetch(`${t.url}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(t.queries.length).toBe(before);
  });

  it('answers /health/ready like /health while serving', async () => {
    const response = await fetch(`${t.url}/health/ready`);
    expect(response.status).toBe(200);
  });

  it('does not log polls at info level', async () => {
    const before = t.logs.length;
    await fetch(`${t.url}/health`);
    await fetch(`${t.url}/health/live`);
    expect(t.logs.slice(before).filter((l) => (l.level as number) >= 30)).toEqual([]);
  });
});

describe('/health with the database down', () => {
  const silent = createLogger(loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }));
  const start = (url: string, timeout = '300') =>
    startApp(
      loadConfig({
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: url,
        MIGRATE_ON_START: 'false',
        HEALTH_DB_TIMEOUT_MS: timeout,
        DB_CONNECT_TIMEOUT_MS: '500',
      }),
      { logger: silent },
    );

  it('is degraded (503) when nothing listens on the database port', async () => {
    const app: App = await start('postgres://postgres@127.0.0.1:1/none');
    try {
      const response = await fetch(`${app.url}/health`, { signal: AbortSignal.timeout(5000) });
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body).toMatchObject({ status: 'degraded', checks: { database: { status: 'error' } } });
      expect(JSON.stringify(body)).not.toContain('ECONNREFUSED');
      expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });

  it('gives up on a database that accepts connections but never answers', async () => {
    const blackHole: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const port = (blackHole.address() as AddressInfo).port;
    const app = await start(`postgres://postgres@127.0.0.1:${port}/none`, '200');
    try {
      // The fetch's own deadline fails the test if /health hangs with the database.
      const response = await fetch(`${app.url}/health`, { signal: AbortSignal.timeout(3000) });
      expect(response.status).toBe(503);
      expect((await response.json()).status).toBe('degraded');
    } finally {
      await app.stop();
      blackHole.close();
    }
  });
});
