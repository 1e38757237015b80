import { eq, getTableName } from 'drizzle-orm';
import { acquisitions, companies } from '../db/schema.js';
import type { Context } from './context.js';
import { withDatabaseErrors, type ConstraintErrors } from './database-errors.js';
import { partiesBefore, publishRowChange } from './events/row-changes.js';

type EditableTable = typeof companies | typeof acquisitions;

/**
 * Inserts one row, mapping what the database refuses through `constraints`, and returns
 * its id. The caller reads the row back through its planned query. Subscribers hear of it
 * once the insert has committed.
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
        .returning(),
    constraints,
  );
  if (!created) throw new Error(`insert into ${getTableName(table)} returned no row`);
  publishRowChange(ctx, table, 'CREATED', created);
  return created.id;
}

/**
 * Applies `changes` to the row with `id`, mapping what the database refuses through
 * `constraints`; with no changes it only checks the row exists. False when there is no
 * such row. The caller re-reads the row through its planned query afterwards. Subscribers
 * hear of a change once it has committed.
 */
export async function updateRow<T extends EditableTable>(
  ctx: Context,
  table: T,
  id: number,
  changes: Partial<T['$inferInsert']>,
  constraints: ConstraintErrors,
): Promise<boolean> {
  if (Object.keys(changes).length === 0) {
    const rows = await withDatabaseErrors(
      () =>
        ctx.db
          .select({ id: table.id })
          .from(table as EditableTable)
          .where(eq(table.id, id)),
      constraints,
    );
    return rows.length > 0;
  }
  const before = await partiesBefore(ctx, table, id, changes);
  const [updated] = await withDatabaseErrors(
    () =>
      ctx.db
        .update(table as EditableTable)
        .set(changes)
        .where(eq(table.id, id))
        .returning(),
    constraints,
  );
  if (updated) publishRowChange(ctx, table, 'UPDATED', updated, before);
  return updated !== undefined;
}

/**
 * Deletes the row with `id`, mapping what the database refuses through `constraints`.
 * False when there was no such row (already deleted by someone else). Subscribers hear of
 * it once the delete has committed.
 */
export async function deleteRow(
  ctx: Context,
  table: EditableTable,
  id: number,
  constraints: ConstraintErrors = {},
): Promise<boolean> {
  const [deleted] = await withDatabaseErrors(
    () => ctx.db.delete(table).where(eq(table.id, id)).returning(),
    constraints,
  );
  if (deleted) publishRowChange(ctx, table, 'DELETED', deleted);
  return deleted !== undefined;
}
