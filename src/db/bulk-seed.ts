import { base, en, Faker } from '@faker-js/faker';
import { inArray, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { acquisitions, companies, users } from './schema.js';

/** How much to generate; the same options always generate the same data. */
export interface BulkOptions {
  companies: number;
  acquisitions: number;
  users?: number;
  /** Faker's seed. Default 42. */
  seed?: number;
}

type Status = (typeof acquisitions.$inferInsert)['status'];

/** Generated rows, with references as indexes into the other lists (ids come from the database). */
export interface BulkData {
  users: { name: string; email: string }[];
  companies: Omit<typeof companies.$inferInsert, 'id' | 'createdById'>[];
  acquisitions: (Omit<typeof acquisitions.$inferInsert, 'id' | 'acquirerId' | 'targetId' | 'createdById'> & {
    acquirer: number;
    target: number;
    /** Index into `users`, or null. */
    createdBy: number | null;
  })[];
}

const industries = [
  'Software',
  'Semiconductors',
  'Biotechnology',
  'Financial services',
  'Retail',
  'Energy',
  'Media',
  'Telecommunications',
  'Logistics',
  'Healthcare',
];
const countries = [
  'US',
  'US',
  'US',
  'GB',
  'DE',
  'FR',
  'JP',
  'CN',
  'IN',
  'CA',
  'IL',
  'SE',
  'NL',
  'KR',
  'BR',
  'AU',
];
const statuses: { weight: number; value: Status }[] = [
  { weight: 70, value: 'completed' },
  { weight: 10, value: 'pending' },
  { weight: 8, value: 'announced' },
  { weight: 7, value: 'cancelled' },
  { weight: 5, value: 'rumored' },
];
const currencies = [
  { weight: 80, value: 'USD' },
  { weight: 10, value: 'EUR' },
  { weight: 5, value: 'GBP' },
  { weight: 5, value: 'JPY' },
];

const firstDay = Date.UTC(1990, 0, 1);
const dayMs = 86_400_000;
const days = (Date.UTC(2025, 11, 31) - firstDay) / dayMs;
const isoDay = (day: number) => new Date(firstDay + day * dayMs).toISOString().slice(0, 10);

/**
 * A deterministic synthetic data set: the same options give the same rows. Buyers are
 * skewed (a few companies make many acquisitions, as in life), so some companies have
 * long deal lists; targets are uniform. Dates, prices and statuses vary, with ties and
 * nulls, as pagination and filters must handle them.
 */
export function generateBulkData(options: BulkOptions): BulkData {
  const { companies: companyCount, acquisitions: acquisitionCount, users: userCount = 0 } = options;
  if (acquisitionCount > 0 && companyCount < 2) throw new Error('acquisitions need at least two companies');
  const faker = new Faker({ locale: [en, base] });
  faker.seed(options.seed ?? 42);

  const generatedUsers = Array.from({ length: userCount }, (_, i) => ({
    name: faker.person.fullName(),
    email: `bulk-user-${i + 1}@example.com`,
  }));

  // Names are unique ignoring case (as the table requires); a repeat gets a number.
  const taken = new Set<string>();
  const generatedCompanies = Array.from({ length: companyCount }, (_, i) => {
    let name = faker.company.name();
    if (taken.has(name.toLowerCase())) name = `${name} ${i + 1}`;
    taken.add(name.toLowerCase());
    const slug = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    return {
      name,
      website: `https://${slug}.example.com`,
      industry: faker.helpers.arrayElement(industries),
      country: faker.helpers.arrayElement(countries),
      foundedYear: faker.number.int({ min: 1900, max: 2022 }),
      description: faker.company.catchPhrase(),
    };
  });

  const generatedAcquisitions = Array.from({ length: acquisitionCount }, () => {
    const acquirer = Math.floor(companyCount * faker.number.float({ min: 0, max: 1 }) ** 3) % companyCount;
    const other = faker.number.int({ min: 0, max: companyCount - 2 });
    const target = other >= acquirer ? other + 1 : other;
    const status = faker.helpers.weightedArrayElement(statuses);
    const announcedDay = faker.number.int({ min: 0, max: days });
    const announcedOn = faker.datatype.boolean(0.97) ? isoDay(announcedDay) : null;
    const closedOn =
      status === 'completed' && announcedOn
        ? isoDay(announcedDay + faker.number.int({ min: 0, max: 540 }))
        : null;
    const priced = faker.datatype.boolean(0.85);
    return {
      acquirer,
      target,
      status,
      priceAmount: priced ? (10 ** faker.number.float({ min: 6, max: 11 })).toFixed(2) : null,
      currency: priced ? faker.helpers.weightedArrayElement(currencies) : null,
      announcedOn,
      closedOn,
      notes: faker.datatype.boolean(0.1) ? faker.company.catchPhrase() : null,
      createdBy:
        userCount > 0 && faker.datatype.boolean(0.5)
          ? faker.number.int({ min: 0, max: userCount - 1 })
          : null,
    };
  });

  return { users: generatedUsers, companies: generatedCompanies, acquisitions: generatedAcquisitions };
}

/** Rows per insert statement: 1,000 rows stay well below Postgres's 65,535 parameters per statement. */
const batchSize = 1000;

function* batches<T>(rows: readonly T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += batchSize) yield rows.slice(i, i + batchSize);
}

export interface BulkResult {
  users: number;
  companies: number;
  acquisitions: number;
  /** Database ids of the generated companies, by index. */
  companyIds: number[];
}

/**
 * Inserts generated data with multi-row inserts, in one transaction (all or nothing).
 * Users that already exist (same email) are reused; companies must not exist yet.
 * `passwordHash` is stored for every generated user, so all share one password.
 */
export async function insertBulkData(
  db: Database,
  data: BulkData,
  passwordHash: string,
): Promise<BulkResult> {
  return db.transaction(async (tx) => {
    const userIds: number[] = [];
    for (const batch of batches(data.users)) {
      await tx
        .insert(users)
        .values(batch.map((user) => ({ ...user, passwordHash })))
        .onConflictDoNothing();
      const emails = batch.map((user) => user.email.toLowerCase());
      const rows = await tx
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(inArray(sql`lower(${users.email})`, emails));
      const idOf = new Map(rows.map((row) => [row.email.toLowerCase(), row.id]));
      for (const email of emails) userIds.push(idOf.get(email) as number);
    }

    const companyIds: number[] = [];
    for (const batch of batches(data.companies)) {
      const rows = await tx
        .insert(companies)
        .values(batch)
        .returning({ id: companies.id, name: companies.name });
      // Matched by name rather than trusting RETURNING to keep the VALUES order.
      const idOf = new Map(rows.map((row) => [row.name, row.id]));
      for (const company of batch) companyIds.push(idOf.get(company.name) as number);
    }

    for (const batch of batches(data.acquisitions)) {
      await tx.insert(acquisitions).values(
        batch.map(({ acquirer, target, createdBy, ...deal }) => ({
          ...deal,
          acquirerId: companyIds[acquirer] as number,
          targetId: companyIds[target] as number,
          createdById: createdBy === null ? null : (userIds[createdBy] as number),
        })),
      );
    }

    return {
      users: data.users.length,
      companies: data.companies.length,
      acquisitions: data.acquisitions.length,
      companyIds,
    };
  });
}

/** Generates and inserts a bulk data set (see generateBulkData and insertBulkData). */
export async function seedBulk(
  db: Database,
  options: BulkOptions,
  passwordHash: string,
): Promise<BulkResult> {
  const result = await insertBulkData(db, generateBulkData(options), passwordHash);
  // Statistics for the planner, and the visibility map that lets a company's deal list be
  // read from its index alone, before the first query rather than whenever autovacuum runs.
  await db.execute(sql`vacuum analyze companies, acquisitions, users`);
  return result;
}
