import { Kind, visit, type ArgumentNode, type ASTNode, type DocumentNode, type FieldNode } from 'graphql';
import { isParameterArgument } from './read-statement.js';
import type { StatementInputs } from './sql-writer.js';

const isNode = (value: unknown, kind: Kind): boolean =>
  !!value && !Array.isArray(value) && (value as ASTNode).kind === kind;

/**
 * The variables that may shape a compiled statement's text: every variable the document
 * uses except those it only ever gives, whole, to parameter arguments (`first`, the id of
 * `company`/`acquisition`; read-statement.ts binds those from each request). A variable in
 * a directive, another argument, a list or an input object counts as shaping.
 */
export function shapingVariables(document: DocumentNode): string[] {
  const shaping = new Set<string>();
  visit(document, {
    // A definition's own variable and default value are not uses.
    VariableDefinition: () => false,
    Variable(node, _key, parent, _path, ancestors) {
      const holder = ancestors[ancestors.length - 2];
      const parameter =
        isNode(parent, Kind.ARGUMENT) &&
        isNode(holder, Kind.FIELD) &&
        isParameterArgument((holder as FieldNode).name.value, (parent as ArgumentNode).name.value);
      if (!parameter) shaping.add(node.name.value);
    },
  });
  return [...shaping];
}

/**
 * What decides a request's statement text besides its operation: whether someone is signed
 * in, and the values of the shaping variables (coerced, so equal inputs give equal keys).
 */
export function shapeKey(shaping: readonly string[], { variables, viewerId }: StatementInputs): string {
  // [value] or [] (not given): a variable left out differs from one given as null.
  const values = shaping.map((name) => (Object.hasOwn(variables, name) ? [variables[name]] : []));
  return `${viewerId === null ? 'guest' : 'viewer'}:${JSON.stringify(values)}`;
}
