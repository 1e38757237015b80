import { z } from 'zod';
import { isDisposableEmail } from './disposable-email.js';

/** The rules an account's fields follow, shared by GraphQL inputs and the admin:create command. */
export const nameRule = z
  .string()
  .trim()
  .min(2, 'must be at least 2 characters')
  .max(255, 'must be at most 255 characters');

export const emailRule = z
  .string()
  .trim()
  .max(255, 'must be at most 255 characters')
  .pipe(z.email('must be a valid email address'));

/** A new address: also refuses throwaway-mailbox providers. */
export const newEmailRule = emailRule.refine(
  (email) => !isDisposableEmail(email),
  'disposable email addresses are not accepted',
);

/** Not trimmed: spaces are legitimate password characters. The cap bounds hashing work. */
export const passwordRule = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters');
