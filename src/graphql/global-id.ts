import { decodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { badUserInput } from './errors.js';

const maxSerial = 2_147_483_647;

/** The row id inside a global id of `typename`, or undefined when it is not one. */
export function rowIdOf(globalId: string, typename: string): number | undefined {
  try {
    const decoded = decodeGlobalID(globalId);
    if (decoded.typename !== typename || !/^[1-9]\d{0,9}$/.test(decoded.id)) return undefined;
    const id = Number(decoded.id);
    return id <= maxSerial ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The row id inside a global id of `typename`; BAD_USER_INPUT naming `field` otherwise. */
export function requireRowId(globalId: string, typename: string, field: string): number {
  const id = rowIdOf(globalId, typename);
  if (id === undefined) throw badUserInput([{ field, message: `is not a ${typename} id` }]);
  return id;
}

/** A zod rule for an argument or input field that must hold a global id of `typename`. */
export const globalIdRule = (typename: string) =>
  z.string().refine((value) => rowIdOf(value, typename) !== undefined, `is not a ${typename} id`);
