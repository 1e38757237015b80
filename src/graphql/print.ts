import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

/**
 * The published SDL: types, fields and arguments sorted by name so a change shows up as a
 * small, readable diff, with a final newline as files have. `printSchema` comes from the same
 * graphql copy that built the schema (Node resolves `graphql` to its CommonJS build for both),
 * which graphql requires: it refuses schemas built by another copy.
 */
export function printSdl(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
