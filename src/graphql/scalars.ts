import { GraphQLError, GraphQLScalarType } from 'graphql';
import { DateResolver, DateTimeResolver } from 'graphql-scalars';

/**
 * Dates and instants Postgres can store, as clients write them (four-digit years): from
 * 0001-01-01 to 9999-12-31 (UTC). graphql-scalars accepts year 0000, which Postgres does
 * not have, and an offset that moves an instant past either end; the driver then failed
 * with "date/time field value out of range", a 500.
 */
const earliest = new Date('0001-01-01T00:00:00.000Z');
const latest = new Date('9999-12-31T23:59:59.999Z');

function storable(scalar: GraphQLScalarType<Date, unknown>, range: string): GraphQLScalarType<Date, unknown> {
  const check = (value: Date): Date => {
    if (value < earliest || value > latest) {
      throw new GraphQLError(`${scalar.name} must be between ${range}`, {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return value;
  };
  return new GraphQLScalarType({
    ...scalar.toConfig(),
    parseValue: (value) => check(scalar.parseValue(value)),
    parseLiteral: (ast, variables) => check(scalar.parseLiteral(ast, variables)),
  });
}

export const StorableDate = storable(DateResolver, '0001-01-01 and 9999-12-31');
export const StorableDateTime = storable(
  DateTimeResolver,
  '0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z',
);

/** The Date scalar hands resolvers a Date at UTC midnight; date columns hold YYYY-MM-DD. */
export const isoDate = (date: Date) => date.toISOString().slice(0, 10);
export const isoDateOrNull = (date: Date | null | undefined) => (date ? isoDate(date) : null);
