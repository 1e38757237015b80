import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { badUserInput, type FieldProblem } from '../../graphql/errors.js';

type Hook = NonNullable<Plugin['onExecute'] & Plugin['onSubscribe']>;

/** Postgres text cannot hold U+0000: a string with one would fail in the driver, as a 500. */
const NUL = '\u0000';
const message = 'must not contain the NUL character (U+0000)';

/** Reports this many places at most: enough to fix a request, bounded for a hostile one. */
const MAX_REPORTED = 10;

/** Where the document's string literals hold a NUL: argument paths such as `input.name`. */
function literalProblems(document: DocumentNode): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // The document's nesting is bounded before parsing (document-size.ts), so this recursion is too.
  const walk = (value: ValueNode, path: string): void => {
    if (value.kind === Kind.STRING && value.value.includes(NUL)) problems.push({ field: path, message });
    if (value.kind === Kind.LIST) value.values.forEach((item, i) => walk(item, `${path}[${i}]`));
    if (value.kind === Kind.OBJECT) value.fields.forEach((f) => walk(f.value, `${path}.${f.name.value}`));
  };
  visit(document, {
    Argument(node) {
      walk(node.value, node.name.value);
      return false;
    },
    VariableDefinition(node) {
      if (node.defaultValue) walk(node.defaultValue, `$${node.variable.name.value}`);
      return false;
    },
  });
  return problems.slice(0, MAX_REPORTED);
}

interface Step {
  value: unknown;
  key: string | number;
  parent: Step | null;
}

const pathOf = (step: Step): string => {
  const keys: (string | number)[] = [];
  for (let at: Step | null = step; at; at = at.parent) keys.push(at.key);
  return keys
    .reverse()
    .map((key, i) => (i === 0 ? `$${key}` : typeof key === 'number' ? `[${key}]` : `.${key}`))
    .join('');
};

/**
 * Where the variables' strings hold a NUL, e.g. `$input.name`. Variables are JSON of any
 * depth (the body limit is the only bound), so the walk keeps its own stack instead of
 * recursing, and builds a path only for what it reports.
 */
function variableProblems(variables: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: Step[] = Object.entries(variables).map(([key, value]) => ({ value, key, parent: null }));
  while (stack.length > 0 && problems.length < MAX_REPORTED) {
    const step = stack.pop() as Step;
    const { value } = step;
    if (typeof value === 'string') {
      if (value.includes(NUL)) problems.push({ field: pathOf(step), message });
    } else if (Array.isArray(value)) {
      value.forEach((item: unknown, i) => stack.push({ value: item, key: i, parent: step }));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) stack.push({ value: item, key, parent: step });
    }
  }
  return problems;
}

/**
 * Refuses every string input holding a NUL — arguments and variables, in input objects and
 * lists too — with BAD_USER_INPUT before anything runs: one rule for every field, instead of
 * each field that reaches Postgres checking for it (or answering INTERNAL_SERVER_ERROR).
 */
export function useNulFreeInputs(): Plugin {
  const literals = new WeakMap<DocumentNode, FieldProblem[]>();
  const check: Hook = ({ args, setResultAndStopExecution }) => {
    let inLiterals = literals.get(args.document);
    if (!inLiterals) literals.set(args.document, (inLiterals = literalProblems(args.document)));
    const inVariables = args.variableValues ? variableProblems(args.variableValues) : [];
    if (inLiterals.length + inVariables.length > 0) {
      setResultAndStopExecution({ errors: [badUserInput([...inLiterals, ...inVariables])] });
    }
  };
  // Subscriptions start through onSubscribe, not onExecute.
  return { onExecute: check, onSubscribe: check };
}
