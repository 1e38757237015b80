import { Column, is } from 'drizzle-orm';
import { alias as aliasTable, getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { isObjectType, type GraphQLObjectType } from 'graphql';
import { relations } from '../../db/relations.js';
import type { TableName } from '../read-plans.js';
import { never } from './not-compilable.js';

/**
 * A row the statement reads, under its alias: the alias of a table, or of a page's
 * sub-select that keeps the table's column names. It notes the columns read from it, so
 * a page selects only those (index-only scans stay possible).
 */
export class Row {
  readonly used = new Set<string>();
  /** The table under this row's alias, for Drizzle expressions over it. */
  readonly table: PgTable;

  constructor(
    readonly tableName: TableName,
    readonly alias: string,
  ) {
    this.table = aliasTable(tableOf(tableName), alias);
  }

  /** The column `key` (its TypeScript name) of this row, noted as read. */
  column(key: string): Column {
    const column = (this.table as unknown as Record<string, unknown>)[key];
    if (!is(column, Column)) return never(`${this.tableName}.${key} is not a column`);
    this.used.add(column.name);
    return column;
  }

  /** The column as SQL text. */
  ref(key: string): string {
    return `"${this.alias}"."${this.column(key).name}"`;
  }

  primaryKey(): string {
    return primaryKeyOf(this.tableName);
  }
}

/** The primary key's TypeScript name: what a row's global id is made of. */
export function primaryKeyOf(name: TableName): string {
  const keys = Object.entries(tableOf(name)).filter(([, column]) => is(column, Column) && column.primary);
  if (keys.length !== 1) never(`${name} has no single-column primary key`);
  return keys[0]![0];
}

export const tableOf = (name: TableName): PgTable => relations[name].table as PgTable;

/** The table behind a drizzleNode / drizzleObject type, if it is one. */
export function tableNameOf(type: GraphQLObjectType): TableName | undefined {
  const model = (type.extensions as { pothosDrizzleModel?: unknown }).pothosDrizzleModel;
  return typeof model === 'string' && model in relations ? (model as TableName) : undefined;
}

/** The object type a field returns, lists and non-null unwrapped. */
export function objectTypeOf(type: unknown, what: string): GraphQLObjectType {
  let named = type as { ofType?: unknown };
  while (named.ofType) named = named.ofType as { ofType?: unknown };
  return isObjectType(named) ? named : never(`${what} is not an object type`);
}

/** The table's name as SQL text. */
export const sqlTableName = (name: TableName) => `"${getTableConfig(tableOf(name)).name}"`;
