import { eq, getTableName } from 'drizzle-orm';
import { acquisitions, companies } from '../db/schema.js';
import type { Context } from './context.js';
import { withDatabaseErrors, type ConstraintErrors } from './database-errors.js';

type EditableTable = typeof companies | typeof acquisitions;

/**
 * Inserts one row, mapping what the database refuses through `constraints`, and returns
 * its id. The caller reads the row back through its planned query.
 */
export async function insertRow<T extends EditableTable>(
  ctx: Context,
  table: T,
  values: T['$inferInsert'],
  constraints: ConstraintErrors,
): Promise<number> {
  const [created] = await withDatabaseErrors(
    () =>
      ctx.db
        .insert(table as EditableTable)
        .values(values as EditableTable['$inferInsert'])
        .returning({ id: table.id }),
    constraints,
  );
  if (!created) throw new Error(`insert into ${getTableName(table)} returned no row`);
  return created.id;
}

/**
 * Applies `changes` to the row with `id`, mapping what the database refuses through
 * `constraints`; with no changes it only checks the row exists. False when there is no
 * such row. The caller re-reads the row through its planned query afterwards.
 */
export async function updateRow<T extends EditableTable>(
  ctx: Context,
  table: T,
  id: number,
  changes: Partial<T['$inferInsert']>,
  constraints: ConstraintErrors,
): Promise<boolean> {
  const rows = await withDatabaseErrors(
    () =>
      Object.keys(changes).length > 0
        ? ctx.db
            .update(table as EditableTable)
            .set(changes)
            .where(eq(table.id, id))
            .returning({ id: table.id })
        : ctx.db
            .select({ id: table.id })
            .from(table as EditableTable)
            .where(eq(table.id, id)),
    constraints,
  );
  return rows.length > 0;
}
