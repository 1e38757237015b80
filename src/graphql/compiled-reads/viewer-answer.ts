import { encodeGlobalID } from '@pothos/plugin-relay';
import { getNamedType, isLeafType, Kind, type OperationDefinitionNode } from 'graphql';
import { accountColumns, type ViewerAccount } from '../../auth/account.js';
import { readPlanOf } from '../read-plans.js';
import { assertConditionsReadable, collectFields, objectType, type CollectScope } from './collect-fields.js';
import { never, NotCompilable } from './not-compilable.js';
import { assertPublicField, assertPublicType } from './public-fields.js';
import { isNodeId } from './read-statement.js';
import { objectTypeOf, primaryKeyOf, tableNameOf } from './row.js';

/** Whether an operation selects only `me` and `__typename` at its root, fragments aside. */
export function asksOnlyForViewer(operation: OperationDefinitionNode): boolean {
  return (
    operation.operation === 'query' &&
    operation.selectionSet.selections.every(
      (selection) =>
        selection.kind === Kind.FIELD &&
        (selection.name.value === 'me' || selection.name.value === '__typename'),
    )
  );
}

/** Writes the response data for a viewer's account, or for a guest (null). */
export type ViewerAnswer = (account: ViewerAccount | null) => string;

type Value = (account: ViewerAccount) => unknown;

/**
 * How to answer an operation asking only for `me` from the account the credential check
 * already read (src/auth/account.ts), each value serialized by its field's own type: worked
 * out once for the operation's shape, then applied to each request's account, so the
 * request costs that one statement and no other.
 */
function planAnswer(scope: CollectScope, operation: OperationDefinitionNode): ViewerAnswer {
  assertConditionsReadable(scope, operation);
  const query = objectType(scope, 'Query');
  assertPublicType(query);
  const root: [key: string, value: string | ((account: ViewerAccount | null) => unknown)][] = [];
  for (const [key, nodes] of collectFields(scope, query, [operation.selectionSet])) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') {
      root.push([key, query.name]);
      continue;
    }
    const field = query.getFields()[name] ?? never(`Query.${name}`);
    assertPublicField(query, field);
    const plan = readPlanOf(field.extensions);
    if (plan?.kind !== 'viewer') return never(`Query.${name} is not the viewer`);
    const type = objectTypeOf(field.type, name);
    assertPublicType(type, plan.grants);
    const table = tableNameOf(type) ?? never(`${type.name} is not a table`);
    const values: [key: string, value: Value][] = [];
    const fields = collectFields(
      scope,
      type,
      nodes.map((node) => node.selectionSet),
    );
    for (const [rowKey, rowNodes] of fields) {
      const rowName = rowNodes[0]!.name.value;
      if (rowName === '__typename') {
        values.push([rowKey, () => type.name]);
        continue;
      }
      const rowField = type.getFields()[rowName] ?? never(`${type.name}.${rowName}`);
      assertPublicField(type, rowField);
      if (isNodeId(type, rowField)) {
        const primaryKey = primaryKeyOf(table) as keyof ViewerAccount;
        values.push([rowKey, (account) => encodeGlobalID(type.name, String(account[primaryKey]))]);
        continue;
      }
      const exposed = (rowField.extensions as { pothosExposedField?: unknown }).pothosExposedField;
      const leaf = getNamedType(rowField.type);
      if (typeof exposed !== 'string' || !(exposed in accountColumns) || !isLeafType(leaf)) {
        return never(`${type.name}.${rowName} is not a column the credential check reads`);
      }
      values.push([rowKey, (account) => leaf.serialize(account[exposed as keyof ViewerAccount])]);
    }
    root.push([
      key,
      (account) =>
        account ? Object.fromEntries(values.map(([rowKey, value]) => [rowKey, value(account)])) : null,
    ]);
  }
  return (account) =>
    JSON.stringify(
      Object.fromEntries(
        root.map(([key, value]) => [key, typeof value === 'string' ? value : value(account)]),
      ),
    );
}

/**
 * The answer to an operation asking only for `me` (see planAnswer), or undefined when a
 * selected field is not among the account's own columns, or anything else the compiler
 * does not serve (the compiled statement or the resolvers answer then).
 */
export function viewerAnswer(
  scope: CollectScope,
  operation: OperationDefinitionNode,
): ViewerAnswer | undefined {
  try {
    return planAnswer(scope, operation);
  } catch (error) {
    if (error instanceof NotCompilable) return undefined;
    throw error;
  }
}
