import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { costLimitRule, type CostLimitOptions } from '@escape.tech/graphql-armor-cost-limit';
import { Kind, validate, visit, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
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

/** The variables a document passes as `first` / `last`, with the defaults it declares for them. */
interface PageSizeVariables {
  names: readonly string[];
  defaults: ReadonlyMap<string, number>;
}

function pageSizeVariablesOf(document: DocumentNode): PageSizeVariables | null {
  const defaults = new Map<string, number>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      if (variable.defaultValue?.kind === Kind.INT) {
        defaults.set(variable.variable.name.value, Number(variable.defaultValue.value));
      }
    }
  }
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (pageSizeArguments.has(node.name.value) && node.value.kind === Kind.VARIABLE) {
        names.add(node.value.name.value);
      }
    },
  });
  return names.size > 0 ? { names: [...names], defaults } : null;
}

/** The page sizes this request gives its page-size variables (sent, else the default), by variable. */
function pageSizesOf(
  { names, defaults }: PageSizeVariables,
  variables: Record<string, unknown>,
): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const name of names) {
    const size = variables[name] ?? defaults.get(name);
    if (typeof size === 'number' && Number.isInteger(size)) sizes.set(name, size);
  }
  return sizes;
}

/** The document with `first: $n` / `last: $n` replaced by the sizes in `sizes` (keyed by variable). */
function withPageSizesInlined(document: DocumentNode, sizes: ReadonlyMap<string, number>): DocumentNode {
  return visit(document, {
    Argument(node) {
      if (!pageSizeArguments.has(node.name.value) || node.value.kind !== Kind.VARIABLE) return undefined;
      const size = sizes.get(node.value.name.value);
      if (size === undefined) return undefined;
      return { ...node, value: { kind: Kind.INT, value: String(size) } };
    },
  });
}

/**
 * Verdicts kept per document: enough for the page sizes a client really sends, while a
 * client cycling through sizes cannot grow the cache (it is then priced every time).
 */
const MAX_VERDICTS_PER_DOCUMENT = 32;

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
 *
 * Both steps are cached: which variables are page sizes, per document (Yoga's parser
 * cache hands the same DocumentNode to every request sending the same query), and the
 * price's verdict per document and page sizes. Without that every request walked its
 * whole document, page sizes or not.
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

  const pageSizeVariables = new WeakMap<DocumentNode, PageSizeVariables | null>();
  const verdicts = new WeakMap<DocumentNode, Map<string, readonly GraphQLError[]>>();

  /** The cost rule's errors for `document` with `sizes` as its page sizes. */
  const price = (schema: GraphQLSchema, document: DocumentNode, sizes: ReadonlyMap<string, number>) => {
    // Variables come in document order, so equal sizes give equal keys.
    const key = [...sizes].map(([name, size]) => `${name}=${size}`).join(',');
    let byKey = verdicts.get(document);
    const cached = byKey?.get(key);
    if (cached) return cached;
    const errors = validate(schema, withPageSizesInlined(document, sizes), [boundCost]);
    if (!byKey) verdicts.set(document, (byKey = new Map()));
    if (byKey.size < MAX_VERDICTS_PER_DOCUMENT) byKey.set(key, errors);
    return errors;
  };

  return {
    onPluginInit({ addPlugin }) {
      addPlugin(armor);
    },
    onExecute({ args, setResultAndStopExecution }) {
      let variables = pageSizeVariables.get(args.document);
      if (variables === undefined) {
        variables = pageSizeVariablesOf(args.document);
        pageSizeVariables.set(args.document, variables);
      }
      if (!variables) return;
      const sizes = pageSizesOf(variables, args.variableValues ?? {});
      if (sizes.size === 0) return;
      const errors = price(args.schema, args.document, sizes);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}
