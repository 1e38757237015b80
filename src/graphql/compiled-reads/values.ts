import { Column } from 'drizzle-orm';
import {
  getNamedType,
  isEnumType,
  isScalarType,
  type GraphQLEnumType,
  type GraphQLOutputType,
} from 'graphql';
import { never } from './not-compilable.js';
import type { SqlWriter } from './sql-writer.js';

/** Column types whose values JSON renders as the resolver's scalar would serialize them. */
const asIs: Record<string, ReadonlySet<string>> = {
  String: new Set(['PgText', 'PgChar', 'PgVarchar']),
  Int: new Set(['PgInteger', 'PgSmallInt']),
  Boolean: new Set(['PgBoolean']),
  // A date in string mode: JSON renders it as YYYY-MM-DD, whatever DateStyle says.
  Date: new Set(['PgDateString']),
};

// The DateTime scalar serializes a JS Date: toISOString(), milliseconds and Z.
const isoDateTime = (ref: string) => `to_char(${ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function enumValue(w: SqlWriter, type: GraphQLEnumType, ref: string): void {
  w.write(`case ${ref}::text`);
  for (const value of type.getValues()) {
    if (typeof value.value !== 'string') never(`${type.name} has a value that is not text`);
    w.write(' when ').literal(value.value).write(' then ').literal(value.name);
  }
  w.write(' end');
}

/**
 * A column's value as the field of `type` exposing it would serialize it, written as a JSON
 * value of the statement. A pairing not listed here (a new scalar, a column type) is left to
 * the resolvers rather than guessed at.
 */
export function columnValue(w: SqlWriter, type: GraphQLOutputType, column: Column, ref: string): void {
  const named = getNamedType(type);
  const columnType = column.columnType;
  if (isEnumType(named)) return enumValue(w, named, ref);
  if (!isScalarType(named)) return never(`${named.name} is not a scalar`);
  if (asIs[named.name]?.has(columnType)) {
    w.write(ref);
    return;
  }
  if (named.name === 'String' && columnType === 'PgNumeric') {
    // Drizzle hands numeric to the resolvers as its text; JSON would render a number.
    w.write(`${ref}::text`);
    return;
  }
  if (named.name === 'DateTime' && columnType === 'PgTimestamp') {
    w.write(isoDateTime(ref));
    return;
  }
  never(`${named.name} from a ${columnType} column`);
}
