import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { costLimitRule, type CostLimitOptions } from '@escape.tech/graphql-armor-cost-limit';
import { Kind, validate, visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxDirectives: number;
  maxTokens: number;
  /** "Did you mean …?" in validation errors: a map of the schema for anyone probing it. */
  fieldSuggestions: boolean;
}

const pageSizeArguments: ReadonlySet<string> = new Set(['first', 'last']);

/**
 * The document with `first: $n` / `last: $n` replaced by the values the request sends
 * (or the variables' declared defaults); null when no page size comes from a variable.
 */
function withPageSizesInlined(
  document: DocumentNode,
  variables: Record<string, unknown>,
): DocumentNode | null {
  const defaults = new Map<string, unknown>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      if (variable.defaultValue?.kind === Kind.INT) {
        defaults.set(variable.variable.name.value, Number(variable.defaultValue.value));
      }
    }
  }
  let inlined = false;
  const result = visit(document, {
    Argument(node) {
      if (!pageSizeArguments.has(node.name.value) || node.value.kind !== Kind.VARIABLE) return undefined;
      const name = node.value.name.value;
      const size = variables[name] ?? defaults.get(name);
      if (typeof size !== 'number' || !Number.isInteger(size)) return undefined;
      inlined = true;
      return { ...node, value: { kind: Kind.INT, value: String(size) } };
    },
  });
  return inlined ? result : null;
}

/**
 * graphql-armor: tokens are counted while parsing (a huge document stops early),
 * depth, aliases, directives and cost while validating — all before execution, so a
 * hostile operation never reaches a resolver or the database. Refusals are validation
 * errors, which reach clients as BAD_USER_INPUT.
 *
 * Armor prices a connection by its `first`/`last` literal; a page size passed as a
 * variable would count as 1 and let `first: $n` nest 100 × 100 × 100 pages under the
 * limit. So an operation whose page sizes come from variables is priced again, with
 * the values it sends, before it executes.
 */
export function useOperationLimits(limits: OperationLimits): Plugin {
  // Cost ≈ how many values a response may hold: every field costs 1 (an object 2), times
  // the page size of the connection it sits under; no extra factor per level, so the
  // limit reads as a response size.
  const cost: CostLimitOptions = { maxCost: limits.maxCost, depthCostFactor: 1, flattenFragments: true };
  const armor = EnvelopArmorPlugin({
    maxTokens: { n: limits.maxTokens },
    maxDepth: { n: limits.maxDepth, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: limits.maxDirectives },
    costLimit: cost,
    blockFieldSuggestion: { enabled: !limits.fieldSuggestions },
  }) as Plugin;
  const boundCost = costLimitRule({
    ...cost,
    propagateOnRejection: false,
    onReject: [(context, error) => context?.reportError(error)],
  });

  return {
    onPluginInit({ addPlugin }) {
      addPlugin(armor);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const document = withPageSizesInlined(args.document, args.variableValues ?? {});
      if (!document) return;
      const errors = validate(args.schema, document, [boundCost]);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}
