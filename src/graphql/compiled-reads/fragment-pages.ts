import {
  getArgumentValues,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type FieldNode,
  type GraphQLField,
  type OperationDefinitionNode,
} from 'graphql';
import { assertPageArgs, type PageArgs } from '../connections.js';
import { readPlanOf, type ReadPlan } from '../read-plans.js';
import type { CollectScope } from './collect-fields.js';
import { notThisTime } from './not-compilable.js';

const pageArguments = new Set(['first', 'last', 'after', 'before']);

interface PagedField {
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
  ordering: Extract<ReadPlan, { kind: 'relatedList' }>['ordering'];
}

/**
 * Checks, for a request's variables, the page arguments of every nested connection the
 * operation names, in its fragments for other types too; NotCompilable when the resolvers
 * would refuse any. The Drizzle plugin plans each fragment's connections up front, whether
 * or not the fragment applies to the object, and runs their checks (assertPageArgs) there:
 * `last` with `first` in a fragment on another type still fails the field, and only the
 * resolvers can give that answer. Undefined when no nested connection takes page arguments.
 * `pinned`: every such argument is a literal, so one check serves every request of the shape.
 */
export function fragmentPagesCheck(
  scope: CollectScope,
  operation: OperationDefinitionNode,
): { check: (variables: Record<string, unknown>) => void; pinned: boolean } | undefined {
  const paged: PagedField[] = [];
  let pinned = true;
  const collect = (root: ASTNode) => {
    const typeInfo = new TypeInfo(scope.schema);
    visit(
      root,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const field = typeInfo.getFieldDef();
          const plan = readPlanOf(field?.extensions);
          const pages = node.arguments?.filter((arg) => pageArguments.has(arg.name.value)) ?? [];
          if (!field || plan?.kind !== 'relatedList' || pages.length === 0) return;
          if (pages.some((arg) => arg.value.kind !== Kind.INT && arg.value.kind !== Kind.STRING))
            pinned = false;
          paged.push({ field, node, ordering: plan.ordering });
        },
      }),
    );
  };
  collect(operation);
  for (const fragment of Object.values(scope.fragments)) collect(fragment);
  if (paged.length === 0) return undefined;
  return {
    pinned,
    check: (variables) => {
      for (const { field, node, ordering } of paged) {
        try {
          const args = getArgumentValues(field, node, variables);
          assertPageArgs(args as PageArgs, ordering(args));
        } catch {
          notThisTime('page arguments the resolvers refuse, in a fragment or elsewhere');
        }
      }
    },
  };
}
