import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { TestDriver } from './drivers.js';
import { startNeonProxy, type NeonProxy } from './neon-proxy.js';

export type { TestDriver };

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

/** The URL of database `name` on the test server. */
export function serverDatabaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Where the test server listens (TEST_DATABASE_URL), e.g. for a proxy in front of it. */
export function testServerAddress(): { host: string; port: number } {
  const url = new URL(adminUrl());
  return { host: url.hostname, port: Number(url.port || 5432) };
}

/** The run's migrated template (test/setup/database-template.ts): a PGlite folder to copy, or a database on the server. */
export interface DatabaseTemplate {
  pgliteDir?: string;
  serverDatabase?: string;
}

/** This project's template; none when a file asks for another driver's database than its project's. */
const template = (): DatabaseTemplate => inject('databaseTemplate') ?? {};

/** A PGlite folder: a copy of the run's migrated template, or empty. */
async function pgliteFolder(empty: boolean): Promise<TestDatabase> {
  const root = await mkdtemp(join(tmpdir(), 'acq-test-'));
  const dir = join(root, 'data');
  const source = empty ? undefined : template().pgliteDir;
  if (source) await cp(source, dir, { recursive: true });
  return { env: { PGLITE_DATA_DIR: dir }, drop: () => rm(root, { recursive: true, force: true }) };
}

/**
 * A fresh database for one test file, already migrated (a clone of the run's template) unless
 * `empty`: a PGlite folder, or a new database on the test server. `viaPort`: the service
 * reaches the server through a local proxy on that port (test/helpers/tcp-proxy.ts), while
 * `url` still names the server itself.
 */
export async function createTestDatabase(
  driver: TestDriver = testDriver,
  { viaPort, empty = false }: { viaPort?: number; empty?: boolean } = {},
): Promise<TestDatabase> {
  if (driver === 'pglite') return pgliteFolder(empty);
  const name = `acq_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const source = empty ? undefined : template().serverDatabase;
  await adminQuery(`create database ${name}${source ? ` template ${source}` : ''}`);
  const url = serverDatabaseUrl(name);
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
    url,
    drop: async () => {
      await proxy?.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}
