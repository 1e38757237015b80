import { encodeGlobalID } from '@pothos/plugin-relay';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { ViewerAccount } from '../../auth/account.js';
import { collectFields, objectType, type CollectScope } from './collect-fields.js';

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

/** A User field from the account, as the resolvers would serialize it; undefined for others. */
function accountField(account: ViewerAccount, name: string): unknown {
  switch (name) {
    case '__typename':
      return 'User';
    case 'id':
      return encodeGlobalID('User', account.id);
    case 'name':
    case 'email':
      return account[name];
    case 'role':
      return account.role.toUpperCase();
    case 'createdAt':
    case 'updatedAt':
      return account[name].toISOString();
    default:
      return undefined;
  }
}

/**
 * The response data, as JSON text, to an operation asking only for `me`: written from the
 * account the credential check already read (src/auth/account.ts), so the request costs
 * that one statement and no other. Undefined when a selected field is not among the
 * account's own (the compiled statement or the resolvers answer then).
 */
export function viewerAnswer(
  scope: CollectScope,
  operation: OperationDefinitionNode,
  account: ViewerAccount | null,
): string | undefined {
  const data: Record<string, unknown> = {};
  const root = collectFields(scope, objectType(scope, 'Query'), [operation.selectionSet]);
  for (const [key, nodes] of root) {
    if (nodes[0]!.name.value === '__typename') {
      data[key] = 'Query';
      continue;
    }
    if (!account) {
      data[key] = null;
      continue;
    }
    const user: Record<string, unknown> = {};
    const fields = collectFields(
      scope,
      objectType(scope, 'User'),
      nodes.map((node) => node.selectionSet),
    );
    for (const [userKey, userNodes] of fields) {
      const value = accountField(account, userNodes[0]!.name.value);
      if (value === undefined) return undefined;
      user[userKey] = value;
    }
    data[key] = user;
  }
  return JSON.stringify(data);
}
