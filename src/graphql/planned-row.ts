import type { acquisitions, companies } from '../db/schema.js';
import type { Context } from './context.js';
import { notFound } from './errors.js';

interface RowTables {
  companies: typeof companies;
  acquisitions: typeof acquisitions;
}

/** What a missing row is called in NOT_FOUND. */
const rowNames: Record<keyof RowTables, string> = { companies: 'Company', acquisitions: 'Acquisition' };

/** The Drizzle plugin's query builder a drizzleField resolver receives. */
type PlannedQuery = (config: { where: { id: number } }) => Record<string, unknown>;

/**
 * The row with `id`, read through the Drizzle plugin's planned query (so the fields the
 * client selected, relations included, load in the same statement): what a mutation
 * returns. NOT_FOUND when there is no such row.
 */
export async function plannedRow<Name extends keyof RowTables>(
  ctx: Context,
  name: Name,
  query: PlannedQuery,
  id: number,
): Promise<RowTables[Name]['$inferSelect']> {
  const finder = ctx.db.query[name] as unknown as {
    findFirst(config: unknown): Promise<RowTables[Name]['$inferSelect'] | undefined>;
  };
  const row = await finder.findFirst(query({ where: { id } }));
  if (!row) throw notFound(rowNames[name]);
  return row;
}
