import type { ZodError } from 'zod';
import { badUserInput } from './errors.js';

/** Turns a failed zod check of field arguments into BAD_USER_INPUT listing each failing field. */
export function zodValidationError(error: ZodError): Error {
  const fields = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || 'arguments',
    message: issue.message,
  }));
  return badUserInput(fields);
}
