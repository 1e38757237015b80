import type { acquisitions, companies, users } from '../db/schema.js';
import type { Context } from './context.js';
import { notFound } from './errors.js';
import { requireRowId } from './global-id.js';
import { readPlan } from './read-plans.js';

interface RowTables {
  companies: typeof companies;
  acquisitions: typeof acquisitions;
  users: typeof users;
}

/** What a row is called in global ids and in NOT_FOUND. */
const rowNames: Record<keyof RowTables, string> = {
  companies: 'Company',
  acquisitions: 'Acquisition',
  users: 'User',
};

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
  const row = await findPlanned(ctx, name, query, id);
  if (!row) throw notFound(rowNames[name]);
  return row;
}

function findPlanned<Name extends keyof RowTables>(
  ctx: Context,
  name: Name,
  query: PlannedQuery,
  id: number,
) {
  const finder = ctx.db.query[name] as unknown as {
    findFirst(config: unknown): Promise<RowTables[Name]['$inferSelect'] | undefined>;
  };
  return finder.findFirst(query({ where: { id } }));
}

/**
 * A root lookup field (`company(id:)`, `acquisition(id:)`): the compiled path's plan and
 * the resolver, the row whose global id is the `id` argument, or null when there is none.
 */
export function rootLookup<Name extends keyof RowTables>(name: Name) {
  return {
    extensions: readPlan({ kind: 'lookup', table: name }),
    resolve: async (query: PlannedQuery, _root: unknown, args: { id: string }, ctx: Context) =>
      (await findPlanned(ctx, name, query, requireRowId(args.id, rowNames[name], 'id'))) ?? null,
  };
}
