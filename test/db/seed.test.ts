/** The curated demo data (loaded on start when SEED_DEMO is on) and the generated bulk set. */
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBulkData, seedBulk } from '../../src/db/bulk-seed.js';
import { curatedAcquisitions, curatedCompanies } from '../../src/db/curated.js';
import { acquisitions, companies, users } from '../../src/db/schema.js';
import { seedCurated, seedDemoIfEmpty } from '../../src/db/seed.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO: 'true', RATE_LIMIT: 'false' });
});
afterAll(() => t.close());

const tableSizes = async () => {
  const db = t.app.database.db;
  const [c] = await db.select({ n: count() }).from(companies);
  const [a] = await db.select({ n: count() }).from(acquisitions);
  return { companies: c?.n, acquisitions: a?.n };
};

describe('the curated set', () => {
  it('is loaded into an empty database on start when SEED_DEMO is on', async () => {
    expect(await tableSizes()).toEqual({
      companies: curatedCompanies.length,
      acquisitions: curatedAcquisitions.length,
    });
    expect(curatedAcquisitions.length).toBeGreaterThanOrEqual(25);
  });

  it('is browsable through GraphQL, with the reported facts', async () => {
    const { body } = await t.gql<{
      acquisitions: { totalCount: number; edges: { node: Record<string, unknown> }[] };
    }>(/* GraphQL */ `
      {
        acquisitions(first: 100, orderBy: { field: PRICE, direction: DESC }) {
          totalCount
          edges {
            node {
              status
              announcedOn
              closedOn
              price {
                amount
                currency
              }
              acquirer {
                name
              }
              target {
                name
              }
            }
          }
        }
      }
    `);
    const deals = body.data?.acquisitions.edges.map((e) => e.node) ?? [];
    expect(body.data?.acquisitions.totalCount).toBe(curatedAcquisitions.length);
    const find = (acquirer: string, target: string) =>
      deals.find(
        (d) =>
          (d.acquirer as { name: string }).name === acquirer &&
          (d.target as { name: string }).name === target,
      );
    expect(find('Microsoft', 'LinkedIn')).toEqual({
      status: 'COMPLETED',
      announcedOn: '2016-06-13',
      closedOn: '2016-12-08',
      price: { amount: '26200000000.00', currency: 'USD' },
      acquirer: { name: 'Microsoft' },
      target: { name: 'LinkedIn' },
    });
    expect(find('Meta Platforms', 'Instagram')).toMatchObject({
      announcedOn: '2012-04-09',
      price: { amount: '1000000000.00', currency: 'USD' },
    });
    expect(find('Google', 'YouTube')).toMatchObject({
      announcedOn: '2006-10-09',
      price: { amount: '1650000000.00', currency: 'USD' },
    });
    expect(find('Google', 'Waze')).toMatchObject({ price: null });
    expect(find('Adobe', 'Figma')).toMatchObject({ status: 'CANCELLED', closedOn: null });
  });

  it('holds together: known companies, valid codes, sane dates', () => {
    const names = new Set(curatedCompanies.map((c) => c.name));
    expect(names.size).toBe(curatedCompanies.length);
    for (const deal of curatedAcquisitions) {
      expect(names.has(deal.acquirer) && names.has(deal.target) && deal.acquirer !== deal.target).toBe(true);
      if (deal.closedOn) expect(deal.closedOn >= deal.announcedOn).toBe(true);
      if (deal.price) expect(Intl.supportedValuesOf('currency')).toContain(deal.price.currency);
    }
  });

  it('is idempotent: loading it again adds nothing and keeps edits', async () => {
    const db = t.app.database.db;
    await db.update(companies).set({ description: 'edited' }).where(eq(companies.name, 'Pixar'));
    expect(await seedCurated(db)).toEqual({ companies: 0, acquisitions: 0 });
    expect(await tableSizes()).toEqual({
      companies: curatedCompanies.length,
      acquisitions: curatedAcquisitions.length,
    });
    const [pixar] = await db
      .select({ description: companies.description })
      .from(companies)
      .where(eq(companies.name, 'Pixar'));
    expect(pixar?.description).toBe('edited');
  });

  it('is not loaded on start into a database that has companies', async () => {
    expect(await seedDemoIfEmpty(t.app.database.db)).toBeUndefined();
  });
});

describe('the bulk set', () => {
  it('is the same for the same options and seed, and different for another seed', () => {
    const options = { companies: 30, acquisitions: 200, users: 3 };
    expect(generateBulkData(options)).toEqual(generateBulkData(options));
    expect(generateBulkData({ ...options, seed: 7 })).not.toEqual(generateBulkData(options));
  });

  it('keeps the rules of the data model', () => {
    const data = generateBulkData({ companies: 50, acquisitions: 2000, users: 5 });
    const names = data.companies.map((c) => c.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    for (const deal of data.acquisitions) {
      expect(deal.acquirer).not.toBe(deal.target);
      expect(deal.target).toBeLessThan(50);
      if (deal.closedOn) expect(deal.closedOn >= (deal.announcedOn as string)).toBe(true);
      expect(deal.priceAmount === null).toBe(deal.currency === null);
      if (deal.priceAmount) expect(deal.priceAmount).toMatch(/^\d{1,18}\.\d{2}$/);
    }
    // Some buyers are busy: the largest deal list is far above the average of 40.
    const perBuyer = new Map<number, number>();
    for (const deal of data.acquisitions) perBuyer.set(deal.acquirer, (perBuyer.get(deal.acquirer) ?? 0) + 1);
    expect(Math.max(...perBuyer.values())).toBeGreaterThan(200);
  });

  it('inserts in batches, references resolved to database ids', async () => {
    const db = t.app.database.db;
    await db.execute(sql`truncate acquisitions, companies restart identity`);
    const result = await seedBulk(db, { companies: 1500, acquisitions: 2500, users: 3 }, 'not-a-real-hash');
    expect(result).toMatchObject({ companies: 1500, acquisitions: 2500, users: 3 });
    expect(result.companyIds).toHaveLength(1500);
    expect(await tableSizes()).toEqual({ companies: 1500, acquisitions: 2500 });
    const [seededUsers] = await db
      .select({ n: count() })
      .from(users)
      .where(sql`${users.email} like 'bulk-user-%'`);
    expect(seededUsers?.n).toBe(3);

    const { body } = await t.gql<{ acquisitions: { totalCount: number; edges: unknown[] } }>(
      '{ acquisitions(first: 50) { totalCount edges { node { acquirer { name } target { name } } } } }',
    );
    expect(body.data?.acquisitions).toMatchObject({ totalCount: 2500 });
    expect(body.data?.acquisitions.edges).toHaveLength(50);
  });
});
