import { GraphQLError, getNamedType, isIntrospectionType, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ErrorCode } from '../../graphql/errors.js';

const code: ErrorCode = 'FORBIDDEN';

/**
 * graphql's NoSchemaIntrospectionCustomRule, reporting with our stable code and pointing at
 * the SDL route instead, so a client learns both that it may not and where to look.
 * `__typename` stays allowed: clients need it to tell union and interface members apart.
 */
const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    const type = getNamedType(context.getType());
    if (type && isIntrospectionType(type)) {
      context.reportError(
        new GraphQLError(
          `Introspection is disabled on this server (field "${node.name.value}"); the schema is published at /schema.graphql`,
          { nodes: node, extensions: { code } },
        ),
      );
    }
  },
});

/** INTROSPECTION=false: refuses __schema and __type queries at validation, before execution. */
export function useDisableIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(noIntrospection);
    },
  };
}
