import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * graphql-js's suggestions (its `didYouMean`): " Did you mean "NAME"?", " Did you mean the
 * enum value "NAME"?", " Did you mean to use an inline fragment on "Company"?". Names never
 * hold a "?", so the sentence ends at the first one.
 */
const suggestion = / ?Did you mean [^?]*\?/g;

function withoutHints(error: GraphQLError): GraphQLError {
  if (!error.message.includes('Did you mean')) return error;
  return new GraphQLError(error.message.replace(suggestion, '').trim(), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/** `result` with "Did you mean …?" taken out of its errors' messages. */
export const withoutSchemaHints = (result: ExecutionResult): ExecutionResult =>
  result.errors?.some((error) => error.message.includes('Did you mean'))
    ? { ...result, errors: result.errors.map(withoutHints) }
    : result;

/**
 * Takes "Did you mean …?" out of every error message — validation (field, argument, type
 * and enum names), variable coercion, enum literals — so a client probing with near-miss
 * names learns nothing about the schema it was not given. For production (`fieldSuggestions`
 * off); developers keep the hints. Runs on the final result, after error masking, so no
 * phase that produces errors is missed.
 */
export function useNoSchemaHints(): Plugin {
  const strip = withoutSchemaHints;
  return {
    onResultProcess({ result, setResult }) {
      if (Symbol.asyncIterator in Object(result)) return;
      setResult(Array.isArray(result) ? result.map(strip) : strip(result as ExecutionResult));
    },
  };
}
