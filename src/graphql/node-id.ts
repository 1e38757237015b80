import { decodeGlobalID } from '@pothos/plugin-relay';
import { badUserInput } from './errors.js';

const rowId = /^[1-9]\d{0,9}$/;
const maxSerial = 2_147_483_647;

/**
 * Global ids as the Relay plugin decodes them for every ID argument, refusing
 * malformed ones with BAD_USER_INPUT. Every node type here is keyed by an
 * integer identity column, so an id part that is not one can match nothing
 * and must not reach the database as a type error.
 */
export function decodeNodeId(globalId: string): { typename: string; id: string } {
  let decoded: { typename: string; id: string } | undefined;
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    decoded = undefined;
  }
  if (!decoded || !rowId.test(decoded.id) || Number(decoded.id) > maxSerial) {
    throw badUserInput([{ field: 'id', message: 'is not a valid id' }]);
  }
  return decoded;
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
