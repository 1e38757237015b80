import {
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';

/** How to walk a selection: where fragments come from, and which selections count. */
export interface SelectionWalk {
  /** A named fragment's definition; a spread of an unknown name selects nothing. */
  fragment(name: string): FragmentDefinitionNode | undefined;
  /** Whether a selection counts (its @skip/@include); every one does when absent. */
  included?(selection: FieldNode | InlineFragmentNode | FragmentSpreadNode): boolean;
  /** Whether a fragment with this type condition applies; every one does when absent. */
  applies?(typeCondition: string | undefined): boolean;
}

/**
 * The fields of `selectionSets`, fragments and inline fragments flattened, in document
 * order; a named fragment is entered once, as execution does. The one walk behind the
 * compiler's CollectFields, the guards' root fields and the resolvers' selection checks.
 */
export function* fieldsIn(
  selectionSets: Iterable<SelectionSetNode | undefined>,
  walk: SelectionWalk,
): Generator<FieldNode> {
  const entered = new Set<string>();
  const applies = (typeCondition: string | undefined) => !walk.applies || walk.applies(typeCondition);
  function* visit(set: SelectionSetNode): Generator<FieldNode> {
    for (const selection of set.selections) {
      if (walk.included && !walk.included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        yield selection;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) yield* visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        if (entered.has(name)) continue;
        entered.add(name);
        const fragment = walk.fragment(name);
        if (fragment && applies(fragment.typeCondition.name.value)) yield* visit(fragment.selectionSet);
      }
    }
  }
  for (const set of selectionSets) if (set) yield* visit(set);
}
