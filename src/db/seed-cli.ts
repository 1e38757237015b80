/**
 * `npm run db:seed`: loads the curated real acquisitions into the configured database.
 * `npm run db:seed -- --companies N --acquisitions M [--users U] [--seed S] [--reset]`:
 * instead generates a deterministic bulk data set (for benchmarks) into empty tables;
 * --reset first empties the companies and acquisitions tables.
 */
import { parseArgs } from 'node:util';
import { count, sql } from 'drizzle-orm';
import type { Writer } from '../cli.js';
import { loadConfig, type Config } from '../config.js';
import { seedBulk } from './bulk-seed.js';
import { openDatabase } from './client.js';
import { companies } from './schema.js';
import { seedCurated } from './seed.js';

/** The password every generated user gets, so benchmarks can sign in as any of them. */
const bulkUserPassword = 'bulk-seeded-password';

function wholeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a whole number`);
  return Number(value);
}

export interface SeedCommandIo {
  stdout: Writer;
  /** Hashes the generated users' password with the configured parameters (src/auth sits above src/db). */
  hashPassword(password: string, params: Config['auth']['argon2']): Promise<string>;
}

export async function seedCommand(
  args: string[],
  env: Record<string, string | undefined>,
  { stdout, hashPassword }: SeedCommandIo,
): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      companies: { type: 'string' },
      acquisitions: { type: 'string' },
      users: { type: 'string' },
      seed: { type: 'string' },
      reset: { type: 'boolean', default: false },
    },
  });
  const bulk = {
    companies: wholeNumber('companies', values.companies),
    acquisitions: wholeNumber('acquisitions', values.acquisitions),
    users: wholeNumber('users', values.users),
    seed: wholeNumber('seed', values.seed),
  };

  const config = loadConfig(env);
  // A bulk set is written in statements that may take far longer than a request's.
  const database = await openDatabase({ ...config.database, statementTimeoutMs: 0 });
  try {
    if (bulk.companies === undefined && bulk.acquisitions === undefined) {
      const added = await seedCurated(database.db);
      stdout.write(
        `curated set: ${added.companies} companies and ${added.acquisitions} acquisitions added (${config.database.driver})\n`,
      );
      return;
    }

    if (values.reset) await database.db.execute(sql`truncate acquisitions, companies restart identity`);
    const [existing] = await database.db.select({ n: count() }).from(companies);
    if (existing && existing.n > 0) {
      throw new Error(
        'the companies table is not empty: pass --reset to replace its companies and acquisitions',
      );
    }
    const started = performance.now();
    const passwordHash = await hashPassword(bulkUserPassword, config.auth.argon2);
    const result = await seedBulk(
      database.db,
      {
        companies: bulk.companies ?? 0,
        acquisitions: bulk.acquisitions ?? 0,
        users: bulk.users,
        seed: bulk.seed,
      },
      passwordHash,
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    stdout.write(
      `bulk set: ${result.companies} companies, ${result.acquisitions} acquisitions, ${result.users} users in ${seconds} s` +
        (result.users > 0 ? ` (users' password: ${bulkUserPassword})` : '') +
        ` (${config.database.driver})\n`,
    );
  } finally {
    await database.close();
  }
}
