/**
 * The benchmark's database: a fresh one per run on the local Postgres server,
 * migrated with the service's own migrations, seeded, and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPasswordHasher } from '../src/auth/password.js';
import { loadConfig } from '../src/config.js';
import { seedBulk } from '../src/db/bulk-seed.js';
import { openDatabase } from '../src/db/client.js';

export interface SeedCounts {
  companies: number;
  acquisitions: number;
  users: number;
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `acq_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // force: a server that failed to stop must not keep the database alive.
    drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}

export async function migrate(url: string): Promise<void> {
  const database = await openDatabase({
    driver: 'pg',
    url,
    poolMax: 2,
    connectTimeoutMs: 5000,
    statementTimeoutMs: 0,
    preparedStatements: true,
  });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
}

/**
 * The seeding step: the domain's bulk seeder (src/db/bulk-seed.ts, what `npm run db:seed --
 * --companies N --acquisitions M --users U` runs): deterministic, skewed buyers so some
 * companies have long deal lists, and a vacuum analyze at the end. Returns a description
 * of the seeder for the report.
 */
export async function seed(url: string, counts: SeedCounts): Promise<string> {
  const database = await openDatabase({
    driver: 'pg',
    url,
    poolMax: 2,
    connectTimeoutMs: 5000,
    statementTimeoutMs: 0,
    preparedStatements: true,
  });
  try {
    const passwordHash = await createPasswordHasher(loadConfig({}).auth.argon2).hash('bench-seeded-password');
    await seedBulk(database.db, counts, passwordHash);
  } finally {
    await database.close();
  }
  return 'src/db/bulk-seed.ts seedBulk, faker seed 42';
}
