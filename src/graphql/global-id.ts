import { decodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { badUserInput } from './errors.js';

/** Every node type here is keyed by a positive integer identity column. */
const isRowId = (id: string) => /^[1-9]\d{0,9}$/.test(id) && Number(id) <= 2_147_483_647;

const badUserInputOf = (field: string, message: string): never => {
  throw badUserInput([{ field, message }]);
};

/** A global id's type and row id part, or undefined when it is not one of ours. */
function decoded(globalId: string): { typename: string; id: string } | undefined {
  try {
    const parts = decodeGlobalID(globalId);
    return isRowId(parts.id) ? parts : undefined;
  } catch {
    return undefined;
  }
}

/** The row id inside a global id of `typename`, or undefined when it is not one. */
export function rowIdOf(globalId: string, typename: string): number | undefined {
  const parts = decoded(globalId);
  return parts?.typename === typename ? Number(parts.id) : undefined;
}

/**
 * Global ids as the Relay plugin decodes them for `node(id:)`, refusing malformed ones
 * with BAD_USER_INPUT: an id part that is not a row id can match nothing and must not
 * reach the database as a type error.
 */
export function decodeNodeId(globalId: string): { typename: string; id: string } {
  return decoded(globalId) ?? badUserInputOf('id', 'is not a valid id');
}

/**
 * The Drizzle plugin rejects a node whose row is gone with "Model …(…) not found";
 * `node(id:)` promises null for an id that matches nothing.
 */
export async function nullWhenMissing<T>(node: Promise<T> | T): Promise<T | null> {
  try {
    return await node;
  } catch (error) {
    if (error instanceof Error && /^Model \w+\(.*\) not found$/.test(error.message)) return null;
    throw error;
  }
}

/** The row id inside a global id of `typename`; BAD_USER_INPUT naming `field` otherwise. */
export function requireRowId(globalId: string, typename: string, field: string): number {
  return rowIdOf(globalId, typename) ?? badUserInputOf(field, `is not a ${typename} id`);
}

/** A zod rule for an argument or input field that must hold a global id of `typename`. */
export const globalIdRule = (typename: string) =>
  z.string().refine((value) => rowIdOf(value, typename) !== undefined, `is not a ${typename} id`);
