import { decodeBase64, decodeCursorChunk } from '@pothos/core';
import type { Column, SQL } from 'drizzle-orm';

export type Direction = 'asc' | 'desc';

/**
 * How a sort key's value travels in a cursor. The Drizzle plugin writes each value as a
 * tagged chunk of @pothos/core chosen by the JS type the driver returned for it: a string
 * (`S:`; dates and decimals arrive as text), a Date (`D:` and its epoch milliseconds) or a
 * number (`N:`). Both read paths and the cursor check below go by this one table.
 */
export const cursorValueKinds = {
  string: { tag: 'S', accepts: (value: unknown) => typeof value === 'string' },
  timestamp: {
    tag: 'D',
    // Years 1–9999: what a timestamptz column written by this service can hold.
    accepts: (value: unknown) =>
      value instanceof Date &&
      value.getTime() >= -62_135_596_800_000 &&
      value.getTime() <= 253_402_300_799_999,
  },
  integer: {
    tag: 'N',
    accepts: (value: unknown) =>
      typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31,
  },
} as const;

export type CursorValueKind = keyof typeof cursorValueKinds;

/** One value a list is ordered by, over any alias of its table. */
export interface SortKey<Table> {
  /** The column's TypeScript name, or the extra's name for a computed key: what the plugin keys cursors by. */
  name: string;
  expression: (table: Table) => SQL | Column;
  /** A column of the table (the plugin orders by it by name) rather than a computed extra. */
  isColumn: boolean;
  kind: CursorValueKind;
  /** The key's Postgres type: cursor values are compared with the key as this. */
  sqlType: string;
  /** For a string key: whether a cursor's text is a value the key can take. */
  accepts?: (text: string) => boolean;
}

/** Keys compared left to right, all in one direction; the last is unique, so every row has its own place. */
export interface Ordering<Table> {
  keys: readonly SortKey<Table>[];
  direction: Direction;
}

/** The identity column every table here has: the tie-breaker of every ordering. */
export const idKey = <Table extends { id: Column }>(): SortKey<Table> => ({
  name: 'id',
  expression: (table) => table.id,
  isColumn: true,
  kind: 'integer',
  sqlType: 'int',
});

export const createdAtKey = <Table extends { createdAt: Column }>(): SortKey<Table> => ({
  name: 'createdAt',
  expression: (table) => table.createdAt,
  isColumn: true,
  kind: 'timestamp',
  sqlType: 'timestamptz',
});

/** The Drizzle plugin's form of an ordering: computed keys as extras, then every key by name. */
export function drizzleOrdering<Table>(ordering: Ordering<Table>): {
  extras: Record<string, (table: Table) => SQL | Column>;
  orderBy: Record<string, Direction>;
} {
  const extras: Record<string, (table: Table) => SQL | Column> = {};
  const orderBy: Record<string, Direction> = {};
  for (const key of ordering.keys) {
    if (!key.isColumn) extras[key.name] = key.expression;
    orderBy[key.name] = ordering.direction;
  }
  return { extras, orderBy };
}

/**
 * The values a cursor holds for `ordering`, one per key, or undefined when it is not a
 * cursor this ordering issues: not base64 of `DC:` and a tagged chunk, another number of
 * values, a value of another kind, or text its key cannot take. So a cursor from another
 * list or ordering is refused rather than compared as something it is not (the plugin
 * itself would accept a prefix of the keys, and turn values of the wrong type into
 * database errors).
 */
export function cursorValues<Table>(cursor: string, ordering: Ordering<Table>): unknown[] | undefined {
  let parsed: unknown;
  try {
    const decoded = decodeBase64(cursor);
    if (!decoded.startsWith('DC:')) return undefined;
    parsed = decodeCursorChunk(decoded.slice(3));
  } catch {
    return undefined;
  }
  const { keys } = ordering;
  // One key: the plugin writes its value alone; several: a tuple of them.
  const values = keys.length === 1 ? [parsed] : parsed;
  if (!Array.isArray(values) || values.length !== keys.length) return undefined;
  const fits = keys.every((key, index) => {
    const value: unknown = values[index];
    if (!cursorValueKinds[key.kind].accepts(value)) return false;
    return typeof value !== 'string' || (!value.includes('\0') && (key.accepts?.(value) ?? true));
  });
  return fits ? values : undefined;
}
