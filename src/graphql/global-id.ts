import { decodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { badUserInput } from './errors.js';

/** Every node type here is keyed by a positive integer identity column. */
const isRowId = (id: string) => /^[1-9]\d{0,9}$/.test(id) && Number(id) <= 2_147_483_647;

const badUserInputOf = (field: string, message: string): never => {
  throw badUserInput([{ field, message }]);
};

/**
 * Global ids decoded lately, by their text: a request's ids are decoded several times over
 * (its argument's zod rule, then the resolver or the compiled read), and the same few ids
 * come back request after request. Decoding is pure, so a repeat is a lookup. Only
 * id-sized texts are kept, and the map starts over when full.
 */
const decodedIds = new Map<string, Readonly<{ typename: string; id: string }> | null>();
const maxDecodedIds = 1000;
const maxCachedIdLength = 64;

/** A global id's type name and id part as Pothos's Relay plugin decodes it; undefined when it is not one. */
export function globalIdParts(globalId: string): Readonly<{ typename: string; id: string }> | undefined {
  let parts = decodedIds.get(globalId);
  if (parts === undefined) {
    try {
      parts = decodeGlobalID(globalId);
    } catch {
      parts = null;
    }
    if (globalId.length <= maxCachedIdLength) {
      if (decodedIds.size >= maxDecodedIds) decodedIds.clear();
      decodedIds.set(globalId, parts);
    }
  }
  return parts ?? undefined;
}

/** A global id's type and row id part, or undefined when it is not one of ours. */
function decoded(globalId: string): Readonly<{ typename: string; id: string }> | undefined {
  const parts = globalIdParts(globalId);
  return parts && isRowId(parts.id) ? parts : undefined;
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
  // A copy: the decoded parts are shared by every request sending this id.
  const parts = decoded(globalId);
  return parts ? { ...parts } : badUserInputOf('id', 'is not a valid id');
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
