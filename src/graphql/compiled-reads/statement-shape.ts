import {
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { readPlanOf, type ReadPlan } from '../read-plans.js';
import type { StatementInputs } from './sql-writer.js';

/**
 * The arguments whose values only ever become statement parameters, bound from each
 * request's own values (read-statement.ts, page.ts): a connection's page size and cursors,
 * a lookup's id. Whether they are given still shapes the statement (a keyset condition, a
 * backward page), their values do not.
 */
const parameterArguments: Partial<Record<ReadPlan['kind'], ReadonlySet<string>>> = {
  list: new Set(['first', 'last', 'after', 'before']),
  relatedList: new Set(['first', 'last', 'after', 'before']),
  lookup: new Set(['id']),
  node: new Set(['id']),
};

const isNode = (value: unknown, kind: Kind): boolean =>
  !!value && !Array.isArray(value) && (value as ASTNode).kind === kind;

/** The variables of a document by the part they play in a compiled statement. */
export interface VariableRoles {
  /** Variables whose values may change the statement's text. */
  shaping: string[];
  /** Variables only ever given whole to parameter arguments: only whether they are set shapes it. */
  parameters: string[];
}

/**
 * Sorts a document's variables: those it only ever gives, whole, to parameter arguments
 * of fields with read plans, and the rest (a directive's, a filter's, one inside a list
 * or an input object), which shape the statement.
 */
export function variableRoles(schema: GraphQLSchema, document: DocumentNode): VariableRoles {
  const shaping = new Set<string>();
  const parameters = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      // A definition's own variable and default value are not uses.
      VariableDefinition: () => false,
      Variable(node, _key, parent) {
        const argument = typeInfo.getArgument();
        const plan = readPlanOf(typeInfo.getFieldDef()?.extensions);
        const parameter =
          isNode(parent, Kind.ARGUMENT) &&
          typeInfo.getDirective() === null &&
          argument != null &&
          plan !== undefined &&
          !!parameterArguments[plan.kind]?.has(argument.name);
        (parameter ? parameters : shaping).add(node.name.value);
      },
    }),
  );
  return { shaping: [...shaping], parameters: [...parameters].filter((name) => !shaping.has(name)) };
}

/**
 * What decides a request's statement text besides its operation: whether someone is signed
 * in, the values of the shaping variables (coerced, so equal inputs give equal keys), and
 * which parameter variables are set.
 */
export function shapeKey(roles: VariableRoles, { variables, viewerId }: StatementInputs): string {
  // [value] or [] (not given): a variable left out differs from one given as null.
  const values = roles.shaping.map((name) => (Object.hasOwn(variables, name) ? [variables[name]] : []));
  const given = roles.parameters.map((name) => (variables[name] == null ? 0 : 1)).join('');
  return `${viewerId === null ? 'guest' : 'viewer'}:${given}:${JSON.stringify(values)}`;
}
