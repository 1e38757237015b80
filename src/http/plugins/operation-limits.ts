import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  parse,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { assertDocumentSize } from '../document-size.js';
import { operationCost, unknownPageSizes, type PageSizeVariable } from '../operation-cost.js';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxDirectives: number;
  maxTokens: number;
}

const pageSizeArguments: ReadonlySet<string> = new Set(['first', 'last']);

/** The variables a document passes as `first` / `last`, with the defaults it declares for them. */
interface PageSizeVariables {
  names: readonly string[];
  defaults: ReadonlyMap<string, number | null>;
}

function pageSizeVariablesOf(document: DocumentNode): PageSizeVariables | null {
  const defaults = new Map<string, number | null>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const value = variable.defaultValue;
      if (value?.kind === Kind.INT) defaults.set(variable.variable.name.value, Number(value.value));
      if (value?.kind === Kind.NULL) defaults.set(variable.variable.name.value, null);
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

/**
 * The page size this request gives each page-size variable: the value sent, else the declared
 * default; null when neither (the connection then serves its default page).
 */
function pageSizesOf(
  { names, defaults }: PageSizeVariables,
  variables: Record<string, unknown>,
): Map<string, number | null> {
  const sizes = new Map<string, number | null>();
  for (const name of names) {
    const size = name in variables ? variables[name] : defaults.get(name);
    // Anything else fails variable coercion, so nothing runs whatever the price.
    sizes.set(name, typeof size === 'number' && Number.isInteger(size) ? size : null);
  }
  return sizes;
}

/** What a client is told when an operation costs too much: the limit and the price. */
function costLimitError(maxCost: number, cost: number): GraphQLError {
  return new GraphQLError(
    `Cost limit of ${maxCost} exceeded: this operation costs ${cost}. Ask for smaller pages (first/last) or fewer nested fields.`,
    { extensions: { code: 'BAD_USER_INPUT', cost, maxCost } },
  );
}

/**
 * Validation: every operation priced with its literal page sizes; a page size given as a
 * variable counts as the smallest page, since its value is not known yet (execution prices
 * it again with the value sent).
 */
function costLimitRule(maxCost: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const cost = operationCost(context.getSchema(), context.getDocument(), operation, unknownPageSizes);
      if (cost > maxCost) context.reportError(costLimitError(maxCost, cost));
    },
  });
}

/**
 * An alias is a response key the client names itself, repeated on every row of every page
 * it sits in: 15 aliases of 3,000 characters under 2,000 deals made a 25 MB answer within
 * every other limit. 64 characters keep the worst well under 5 MB (bench/README.md, "Abuse")
 * and are more than any real alias needs.
 */
const MAX_ALIAS_LENGTH = 64;

const aliasLengthRule: ValidationRule = (context) => ({
  Field(field) {
    if (field.alias && field.alias.value.length > MAX_ALIAS_LENGTH) {
      context.reportError(
        new GraphQLError(
          `Alias length limit of ${MAX_ALIAS_LENGTH} exceeded: "${field.alias.value.slice(0, 16)}…" has ${field.alias.value.length} characters.`,
          { nodes: [field.alias], extensions: { code: 'BAD_USER_INPUT' } },
        ),
      );
    }
  },
});

/**
 * graphql-armor words its refusals "Syntax Error: Query depth limit of 15 exceeded, …":
 * reported here without the prefix, since the document is well-formed and only too big.
 */
const asLimitErrors = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(
        new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
          nodes: error.nodes,
          extensions: error.extensions,
        }),
      ),
  ],
};

/**
 * Verdicts kept per document: enough for the page sizes a client really sends, while a
 * client cycling through sizes cannot grow the cache (it is then priced every time).
 */
const MAX_VERDICTS_PER_DOCUMENT = 32;

/**
 * Tokens and bracket nesting are counted before parsing (src/http/document-size.ts: a huge
 * or deeply nested document stops early); graphql-armor checks depth, aliases and
 * directives while validating, and so do the alias length and cost rules
 * (src/http/operation-cost.ts). All before execution, so a hostile operation never reaches
 * a resolver or the database. Refusals reach clients as BAD_USER_INPUT.
 *
 * A page size passed as a variable is unknown while validating, and would let
 * `first: $n` nest 100 × 100 × 100 pages under the limit. So an operation whose page
 * sizes come from variables is priced again, with the values it sends, before it executes.
 *
 * Both steps are cached: which variables are page sizes, per document (Yoga's parser
 * cache hands the same DocumentNode to every request sending the same query), and the
 * price's verdict per document and page sizes. Without that every request walked its
 * whole document, page sizes or not.
 */
export function useOperationLimits(limits: OperationLimits): Plugin {
  const armor = EnvelopArmorPlugin({
    maxTokens: { enabled: false },
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...asLimitErrors },
    maxAliases: { n: limits.maxAliases, ...asLimitErrors },
    maxDirectives: { n: limits.maxDirectives, ...asLimitErrors },
    costLimit: { enabled: false },
    // Suggestions go from every message, not only field names' (schema-hints.ts).
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;
  const costRule = costLimitRule(limits.maxCost);
  // Each level of depth is a selection set, perhaps in an inline fragment; arguments add a
  // few levels of input objects and lists. Far below what would overflow the parser's stack.
  const documentSize = { maxTokens: limits.maxTokens, maxNesting: 2 * limits.maxDepth + 10 };

  const pageSizeVariables = new WeakMap<DocumentNode, PageSizeVariables | null>();
  const verdicts = new WeakMap<DocumentNode, Map<string, GraphQLError | null>>();

  /** The cost error for the operations of `document` with `sizes` as its page sizes, if any. */
  const price = (
    schema: GraphQLSchema,
    document: DocumentNode,
    sizes: ReadonlyMap<string, number | null>,
  ) => {
    // Variables come in document order, so equal sizes give equal keys.
    const key = [...sizes].map(([name, size]) => `${name}=${size}`).join(',');
    let byKey = verdicts.get(document);
    const cached = byKey?.get(key);
    if (cached !== undefined) return cached;
    const pageSize: PageSizeVariable = (name) => sizes.get(name) ?? null;
    let verdict: GraphQLError | null = null;
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const cost = operationCost(schema, document, definition, pageSize);
      if (cost > limits.maxCost) verdict = costLimitError(limits.maxCost, cost);
    }
    if (!byKey) verdicts.set(document, (byKey = new Map()));
    if (byKey.size < MAX_VERDICTS_PER_DOCUMENT) byKey.set(key, verdict);
    return verdict;
  };

  const priceWithVariables: NonNullable<Plugin['onExecute'] & Plugin['onSubscribe']> = ({
    args,
    setResultAndStopExecution,
  }) => {
    let variables = pageSizeVariables.get(args.document);
    if (variables === undefined) {
      variables = pageSizeVariablesOf(args.document);
      pageSizeVariables.set(args.document, variables);
    }
    if (!variables) return;
    const sizes = pageSizesOf(variables, args.variableValues ?? {});
    const error = price(args.schema, args.document, sizes);
    if (error) setResultAndStopExecution({ errors: [error] });
  };

  return {
    onPluginInit({ addPlugin }) {
      addPlugin(armor);
    },
    onParse({ setParseFn }) {
      // Yoga's parser cache answers repeated documents without calling this.
      setParseFn((source, options) => {
        assertDocumentSize(source, documentSize);
        return parse(source, options);
      });
    },
    onValidate({ addValidationRule }) {
      addValidationRule(aliasLengthRule);
      addValidationRule(costRule);
    },
    onExecute: priceWithVariables,
    // A subscription's events may carry pages too (companyEvents → company.acquisitions).
    onSubscribe: priceWithVariables,
  };
}
