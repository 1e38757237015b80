import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  visit,
  type ASTNode,
} from 'graphql';
import { fieldsIn } from '../selections.js';
import { notThisTime } from './not-compilable.js';

/** The schema's object type `name`; the compiler only asks for types it knows exist. */
export function objectType(scope: CollectScope, name: string): GraphQLObjectType {
  const type = scope.schema.getType(name);
  if (!isObjectType(type)) throw new Error(`${name} is not an object type of the schema`);
  return type;
}

/** The fields one object of a response holds: response key → the field nodes merged under it. */
export type CollectedFields = Map<string, FieldNode[]>;

export interface CollectScope {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/**
 * Throws NotCompilable when any @skip/@include of the operation or its fragments has a
 * condition it cannot read (a variable sent as null for `if: Boolean!`), wherever it sits.
 * The resolvers' Drizzle plugin reads every condition of a field's selection up front,
 * those in fragments for other types included, and fails the field; only they can give
 * that answer.
 */
export function assertConditionsReadable(scope: CollectScope, operation: OperationDefinitionNode): void {
  const check = (node: ASTNode) => {
    if ('directives' in node && node.directives?.length)
      included(scope, node as Parameters<typeof included>[1]);
  };
  visit(operation, { enter: check });
  for (const fragment of Object.values(scope.fragments)) visit(fragment, { enter: check });
}

/**
 * @skip and @include as execution applies them. A condition it cannot read throws
 * NotCompilable (assertConditionsReadable checks them all first).
 */
function included(scope: CollectScope, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  if (!node.directives?.length) return true;
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, scope.variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, scope.variables)?.if !== false;
  } catch {
    return notThisTime('a directive whose condition is invalid');
  }
}

function appliesTo(scope: CollectScope, typeCondition: string | undefined, type: GraphQLObjectType): boolean {
  if (typeCondition === undefined || typeCondition === type.name) return true;
  const conditionType = scope.schema.getType(typeCondition);
  return !!conditionType && isAbstractType(conditionType) && scope.schema.isSubType(conditionType, type);
}

/**
 * GraphQL's CollectFields (spec §6.3.2) for an object of `type`: fragments and inline
 * fragments flattened, @skip/@include applied, fields merged by response key in the
 * order execution would produce them. graphql-js keeps its own version internal.
 */
export function collectFields(
  scope: CollectScope,
  type: GraphQLObjectType,
  selectionSets: readonly (SelectionSetNode | undefined)[],
): CollectedFields {
  const fields: CollectedFields = new Map();
  const walk = {
    fragment: (name: string) => scope.fragments[name],
    included: (selection: Parameters<typeof included>[1]) => included(scope, selection),
    applies: (typeCondition: string | undefined) => appliesTo(scope, typeCondition, type),
  };
  for (const field of fieldsIn(selectionSets, walk)) {
    const key = field.alias?.value ?? field.name.value;
    const merged = fields.get(key);
    if (merged) merged.push(field);
    else fields.set(key, [field]);
  }
  return fields;
}
