import { encodeGlobalID } from '@pothos/plugin-relay';
import { getNamedType, isLeafType, Kind, type OperationDefinitionNode } from 'graphql';
import type { ViewerAccount } from '../../auth/account.js';
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

function answer(
  scope: CollectScope,
  operation: OperationDefinitionNode,
  account: ViewerAccount | null,
): Record<string, unknown> {
  assertConditionsReadable(scope, operation);
  const query = objectType(scope, 'Query');
  assertPublicType(query);
  const data: Record<string, unknown> = {};
  for (const [key, nodes] of collectFields(scope, query, [operation.selectionSet])) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') {
      data[key] = query.name;
      continue;
    }
    const field = query.getFields()[name] ?? never(`Query.${name}`);
    assertPublicField(query, field);
    const plan = readPlanOf(field.extensions);
    if (plan?.kind !== 'viewer') return never(`Query.${name} is not the viewer`);
    const type = objectTypeOf(field.type, name);
    assertPublicType(type, plan.grants);
    const table = tableNameOf(type) ?? never(`${type.name} is not a table`);
    // Collected for guests too: a directive's invalid condition is the resolvers' error to give.
    const fields = collectFields(
      scope,
      type,
      nodes.map((node) => node.selectionSet),
    );
    if (!account) {
      data[key] = null;
      continue;
    }
    const row: Record<string, unknown> = {};
    for (const [rowKey, rowNodes] of fields) {
      const rowName = rowNodes[0]!.name.value;
      if (rowName === '__typename') {
        row[rowKey] = type.name;
        continue;
      }
      const rowField = type.getFields()[rowName] ?? never(`${type.name}.${rowName}`);
      assertPublicField(type, rowField);
      if (isNodeId(type, rowField)) {
        row[rowKey] = encodeGlobalID(type.name, String(account[primaryKeyOf(table) as keyof ViewerAccount]));
        continue;
      }
      const exposed = (rowField.extensions as { pothosExposedField?: unknown }).pothosExposedField;
      const leaf = getNamedType(rowField.type);
      if (typeof exposed !== 'string' || !Object.hasOwn(account, exposed) || !isLeafType(leaf)) {
        return never(`${type.name}.${rowName} is not a column the credential check reads`);
      }
      row[rowKey] = leaf.serialize(account[exposed as keyof ViewerAccount]);
    }
    data[key] = row;
  }
  return data;
}

/**
 * The response data, as JSON text, to an operation asking only for `me`: written from the
 * account the credential check already read (src/auth/account.ts), each value serialized
 * by its field's own type, so the request costs that one statement and no other.
 * Undefined when a selected field is not among the account's own columns, or anything else
 * the compiler does not serve (the compiled statement or the resolvers answer then).
 */
export function viewerAnswer(
  scope: CollectScope,
  operation: OperationDefinitionNode,
  account: ViewerAccount | null,
): string | undefined {
  try {
    return JSON.stringify(answer(scope, operation, account));
  } catch (error) {
    if (error instanceof NotCompilable) return undefined;
    throw error;
  }
}
