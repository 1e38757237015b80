import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  visit,
  type ASTNode,
} from 'graphql';
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
  const visited = new Set<string>();
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (!included(scope, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const merged = fields.get(key);
        if (merged) merged.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (appliesTo(scope, selection.typeCondition?.name.value, type)) visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = scope.fragments[name];
        if (fragment && appliesTo(scope, fragment.typeCondition.name.value, type))
          visit(fragment.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) if (selectionSet) visit(selectionSet);
  return fields;
}
