import { inArray, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { curatedAcquisitions, curatedCompanies } from './curated.js';
import { acquisitions, companies } from './schema.js';

export interface SeedCounts {
  companies: number;
  acquisitions: number;
}

/**
 * Loads the curated real acquisitions (src/db/curated.ts). Idempotent: a company is matched
 * by name (ignoring letter case) and a deal by acquirer, target and announcement date, so
 * a second run adds nothing and edits made since are kept. Returns what was added.
 */
export async function seedCurated(db: Database): Promise<SeedCounts> {
  return db.transaction(async (tx) => {
    const added = await tx
      .insert(companies)
      .values(curatedCompanies.map((company) => ({ ...company })))
      .onConflictDoNothing()
      .returning({ id: companies.id });

    const names = curatedCompanies.map((company) => company.name.toLowerCase());
    const rows = await tx
      .select({ id: companies.id, name: companies.name })
      .from(companies)
      .where(inArray(sql`lower(${companies.name})`, names));
    const idOf = new Map(rows.map((row) => [row.name.toLowerCase(), row.id]));
    const companyId = (name: string) => {
      const id = idOf.get(name.toLowerCase());
      if (id === undefined) throw new Error(`curated acquisition names an unknown company: ${name}`);
      return id;
    };

    const wanted = curatedAcquisitions.map((deal) => ({
      acquirerId: companyId(deal.acquirer),
      targetId: companyId(deal.target),
      status: deal.status,
      priceAmount: deal.price?.amount ?? null,
      currency: deal.price?.currency ?? null,
      announcedOn: deal.announcedOn,
      closedOn: deal.closedOn,
      notes: deal.notes,
    }));
    const key = (deal: { acquirerId: number; targetId: number; announcedOn: string | null }) =>
      `${deal.acquirerId}/${deal.targetId}/${deal.announcedOn}`;
    const existing = await tx
      .select({
        acquirerId: acquisitions.acquirerId,
        targetId: acquisitions.targetId,
        announcedOn: acquisitions.announcedOn,
      })
      .from(acquisitions)
      .where(inArray(acquisitions.acquirerId, [...new Set(wanted.map((deal) => deal.acquirerId))]));
    const present = new Set(existing.map(key));
    const missing = wanted.filter((deal) => !present.has(key(deal)));
    if (missing.length > 0) await tx.insert(acquisitions).values(missing);

    return { companies: added.length, acquisitions: missing.length };
  });
}

/**
 * The demo data of a fresh development database: the curated set, only when there are no
 * companies yet (a database someone has used is left alone). Returns what was added, or
 * undefined when nothing was done.
 */
export async function seedDemoIfEmpty(db: Database): Promise<SeedCounts | undefined> {
  const [any] = await db.select({ id: companies.id }).from(companies).limit(1);
  return any ? undefined : seedCurated(db);
}
