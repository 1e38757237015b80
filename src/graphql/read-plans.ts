import type { SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { relations } from '../db/relations.js';
import type { Ordering } from './ordering.js';

export type TableName = keyof typeof relations & string;
type Arguments = Record<string, unknown>;

/**
 * How the compiled read path (src/graphql/compiled-reads/) may serve a field whose value is
 * not simply a column. A plan sits in the field's `extensions.readPlan`, written beside the
 * resolver and built from the same definitions (table, relation, filter, ordering), so the
 * two cannot describe different reads. A field with no plan, and no column it exposes, is
 * left to the resolvers.
 */
export type ReadPlan =
  /** A root field: the row of `table` whose global id is the `id` argument, or null. */
  | { kind: 'lookup'; table: TableName }
  /** A root connection over `table`: `where` and `ordering` from the field's arguments. */
  | {
      kind: 'list';
      table: TableName;
      where: (args: Arguments, table: PgTable) => SQL | undefined;
      ordering: (args: Arguments) => Ordering<PgTable>;
    }
  /** A connection over a to-many relation of the parent row. */
  | { kind: 'relatedList'; relation: string; ordering: (args: Arguments) => Ordering<PgTable> }
  /** A to-one relation of the parent row. */
  | { kind: 'relation'; relation: string }
  /** An object made of the parent row's columns (property → column), null when any is null. */
  | { kind: 'embedded'; columns: Readonly<Record<string, string>> }
  /**
   * The viewer's own account, or null for guests. `grants` are the type auth rules that
   * the viewer's own row always passes: the compiler serves the type only if its rule is one.
   */
  | { kind: 'viewer'; grants: readonly unknown[] }
  /** Relay's node(id:): a row of whichever public table the global id names. */
  | { kind: 'node' }
  /** A connection's totalCount: how many rows its list has across all pages. */
  | { kind: 'totalCount' };

/** `extensions` for a field the compiled path may serve as `plan` says. */
export const readPlan = (plan: ReadPlan) => ({ readPlan: plan });

/** The plan a field's extensions carry, if any. */
export const readPlanOf = (extensions: Readonly<Record<string, unknown>> | null | undefined) =>
  extensions?.readPlan as ReadPlan | undefined;

/** A list plan whose filter and ordering are typed for its own table. */
export function listPlan<Table extends PgTable, Args extends Arguments>(
  table: TableName,
  where: (args: Args, table: Table) => SQL | undefined,
  ordering: (args: Args) => Ordering<Table>,
) {
  return readPlan({ kind: 'list', table, where, ordering } as unknown as ReadPlan);
}

/** A related-list plan whose ordering is typed for the related table. */
export function relatedListPlan<Table extends PgTable, Args extends Arguments>(
  relation: string,
  ordering: (args: Args) => Ordering<Table>,
) {
  return readPlan({ kind: 'relatedList', relation, ordering } as unknown as ReadPlan);
}

/**
 * A field whose object is made of the row's `columns`: its resolver and its plan from one
 * definition. Null when any of the columns is null.
 */
export function embeddedObject<Row, Columns extends Record<string, keyof Row & string>>(columns: Columns) {
  return {
    select: { columns: Object.fromEntries(Object.values(columns).map((column) => [column, true])) },
    resolve: (row: Row): { [Property in keyof Columns]: NonNullable<Row[Columns[Property]]> } | null => {
      const object: Record<string, unknown> = {};
      for (const [property, column] of Object.entries(columns)) {
        if (row[column] === null || row[column] === undefined) return null;
        object[property] = row[column];
      }
      return object as { [Property in keyof Columns]: NonNullable<Row[Columns[Property]]> };
    },
    extensions: readPlan({ kind: 'embedded', columns }),
  };
}
