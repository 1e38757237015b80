import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startNeonProxy, type NeonProxy } from './neon-proxy.js';

export type TestDriver = 'pglite' | 'pg' | 'neon';

export const testDriver = (process.env.TEST_DRIVER ?? 'pglite') as TestDriver;

export interface TestDatabase {
  /** Environment variables that point the service at this database. */
  env: Record<string, string>;
  /** For pg/neon: a URL to the throwaway database (for direct inspection). */
  url?: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error(`TEST_DRIVER=${testDriver} needs TEST_DATABASE_URL`);
  return url;
}

/** Runs one statement on the server named by TEST_DATABASE_URL. */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Where the test server listens (TEST_DATABASE_URL), e.g. for a proxy in front of it. */
export function testServerAddress(): { host: string; port: number } {
  const url = new URL(adminUrl());
  return { host: url.hostname, port: Number(url.port || 5432) };
}

/**
 * A fresh, empty database for one test file: memory PGlite, or a new database on the test
 * server. `viaPort`: the service reaches the server through a local proxy on that port
 * (test/helpers/tcp-proxy.ts), while `url` still names the server itself.
 */
export async function createTestDatabase(
  driver: TestDriver = testDriver,
  { viaPort }: { viaPort?: number } = {},
): Promise<TestDatabase> {
  if (driver === 'pglite') {
    return { env: { PGLITE_DATA_DIR: 'memory://' }, drop: async () => undefined };
  }
  const name = `acq_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const serviceUrl = new URL(url);
  const target = viaPort ? { host: '127.0.0.1', port: viaPort } : testServerAddress();
  if (viaPort) Object.assign(serviceUrl, { hostname: '127.0.0.1', port: String(viaPort) });
  let proxy: NeonProxy | undefined;
  const env: Record<string, string> = { DATABASE_URL: serviceUrl.toString(), DATABASE_DRIVER: driver };
  if (driver === 'neon') {
    proxy = await startNeonProxy(target);
    Object.assign(env, { NEON_LOCAL_HOST: '127.0.0.1', NEON_LOCAL_PORT: String(proxy.port) });
  }
  return {
    env,
    url: url.toString(),
    drop: async () => {
      await proxy?.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}
