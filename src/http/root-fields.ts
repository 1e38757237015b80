import {
  getArgumentValues,
  getOperationAST,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type OperationDefinitionNode,
  type OperationTypeNode,
} from 'graphql';
import { fieldsIn } from '../graphql/selections.js';

export interface RootField {
  /** The schema field, e.g. "signIn". */
  name: string;
  /** Where its result lands in `data`: the alias, else the name. */
  responseKey: string;
  node: FieldNode;
}

export interface RootSelection {
  operation: OperationTypeNode;
  /** Shared by every request sending the same document: read, never change. */
  fields: readonly RootField[];
}

/**
 * Selections by document and operation name. Yoga's parser cache hands every request
 * sending the same query the same DocumentNode, so the walk runs once per document
 * instead of on every request (the bot guard looks at every operation).
 */
const selections = new WeakMap<DocumentNode, Map<string | undefined, RootSelection>>();

/**
 * The root fields an operation selects, through fragments and aliases (each alias of a
 * field is a separate call). Fields under @skip/@include are listed too: guards then
 * err on the side of counting.
 */
export function rootFieldsOf(args: Pick<ExecutionArgs, 'document' | 'operationName'>): RootSelection | null {
  const operationName = args.operationName ?? undefined;
  let byOperation = selections.get(args.document);
  const cached = byOperation?.get(operationName);
  if (cached) return cached;
  // Unknown operation names are not cached: a client could send endless different ones.
  const operation = getOperationAST(args.document, operationName);
  if (!operation) return null;
  const selection = walkRootFields(args.document, operation);
  if (!byOperation) selections.set(args.document, (byOperation = new Map()));
  byOperation.set(operationName, selection);
  return selection;
}

function walkRootFields(document: DocumentNode, operation: OperationDefinitionNode): RootSelection {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  const fields: RootField[] = [];
  for (const field of fieldsIn([operation.selectionSet], { fragment: (name) => fragments.get(name) })) {
    const responseKey = field.alias?.value ?? field.name.value;
    // graphql executes fields sharing a response key once (validation made them identical).
    if (!fields.some((known) => known.responseKey === responseKey)) {
      fields.push({ name: field.name.value, responseKey, node: field });
    }
  }
  return { operation: operation.operation, fields };
}

/** The root mutation fields named `names`, e.g. every signIn of an operation. */
export function rootMutationsNamed(
  args: Pick<ExecutionArgs, 'document' | 'operationName'>,
  names: ReadonlySet<string>,
): RootField[] {
  const selection = rootFieldsOf(args);
  if (selection?.operation !== 'mutation') return [];
  return selection.fields.filter((field) => names.has(field.name));
}

/** A root mutation field's argument values, or null when they do not coerce. */
export function mutationArguments(
  args: Pick<ExecutionArgs, 'schema' | 'variableValues'>,
  field: RootField,
): Record<string, unknown> | null {
  const definition = args.schema.getMutationType()?.getFields()[field.name];
  if (!definition) return null;
  try {
    return getArgumentValues(definition, field.node, args.variableValues ?? undefined);
  } catch {
    return null;
  }
}
