import {
  getNamedType,
  isCompositeType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { defaultPageSize } from '../graphql/connections.js';
import { costOf } from '../graphql/text-cost.js';

/**
 * The page size a `first`/`last` argument given as `$name` stands for: a number, null when
 * the argument counts as not given (the variable is null or unset without a default), or
 * undefined when it is not known yet (validation runs before any variable is seen).
 */
export type PageSizeVariable = (name: string) => number | null | undefined;

/** Before variables are known: the smallest price any value could give (a page of 0 or 1 rows). */
export const unknownPageSizes: PageSizeVariable = () => undefined;

const OBJECT_COST = 2;
const SCALAR_COST = 1;

/**
 * What an operation may cost, roughly the number of values its response may hold: a leaf
 * costs 1 (a long text what it weighs), an object 2 plus its fields, and everything under a connection is multiplied by
 * the page it asks for. A connection is any field taking `first`/`last`; without either it
 * serves `defaultPageSize` rows, so that is its price — pricing it as one row let a query
 * priced at 37,500 return 30 MB. Fragments count where they are spread; introspection's
 * `__schema` is free (it is one fixed document).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  pageSizeVariable: PageSizeVariable,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // A fragment's cost does not depend on where it is spread; memoised so fragments spreading
  // fragments cannot make the walk exponential. In progress: a cycle, which validation refuses.
  const fragmentCosts = new Map<string, number | 'pricing'>();

  const pageSizeOf = (value: ValueNode | undefined): number | null => {
    if (!value || value.kind === Kind.NULL) return null;
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE) {
      const size = pageSizeVariable(value.name.value);
      return size === undefined ? 1 : size;
    }
    return null;
  };

  const multiplierOf = (field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined): number => {
    const pages = definition?.args.some((arg) => arg.name === 'first' || arg.name === 'last');
    if (!pages) return 1;
    const sizes = field.arguments
      ?.filter((arg) => arg.name.value === 'first' || arg.name.value === 'last')
      .map((arg) => pageSizeOf(arg.value))
      .filter((size) => size !== null);
    // A page of 0 still answers totalCount and pageInfo: one row's worth.
    return sizes?.length ? Math.max(1, ...sizes) : defaultPageSize;
  };

  const selectionSetCost = (set: SelectionSetNode, parent: GraphQLCompositeType | undefined): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += fieldCost(selection, parent);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? compositeType(schema, selection.typeCondition.name.value)
          : parent;
        cost += selectionSetCost(selection.selectionSet, type);
      } else {
        cost += fragmentCost(selection.name.value);
      }
    }
    return cost;
  };

  const fieldCost = (field: FieldNode, parent: GraphQLCompositeType | undefined): number => {
    if (field.name.value === '__schema') return 0;
    const definition = parent && fieldOf(parent, field);
    // A long text declares what it weighs (src/graphql/text-cost.ts).
    if (!field.selectionSet) return costOf(definition?.extensions) ?? SCALAR_COST;
    const type = definition && getNamedType(definition.type);
    const children = selectionSetCost(field.selectionSet, isCompositeType(type) ? type : undefined);
    return (OBJECT_COST + children) * multiplierOf(field, definition);
  };

  const fragmentCost = (name: string): number => {
    const known = fragmentCosts.get(name);
    if (known === 'pricing') return 0;
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment) return 0;
    fragmentCosts.set(name, 'pricing');
    const cost = selectionSetCost(
      fragment.selectionSet,
      compositeType(schema, fragment.typeCondition.name.value),
    );
    fragmentCosts.set(name, cost);
    return cost;
  };

  return selectionSetCost(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
}

function compositeType(schema: GraphQLSchema, name: string): GraphQLCompositeType | undefined {
  const type = schema.getType(name);
  return isCompositeType(type) ? type : undefined;
}

function fieldOf(parent: GraphQLCompositeType, field: FieldNode): GraphQLField<unknown, unknown> | undefined {
  // Unions have no fields of their own; only __typename, which is a leaf.
  return 'getFields' in parent ? parent.getFields()[field.name.value] : undefined;
}
