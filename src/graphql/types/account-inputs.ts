import { z } from 'zod';
import { emailRule, nameRule, newEmailRule, passwordRule } from '../../auth/account-rules.js';
import { builder } from '../builder.js';
import { conflict } from '../errors.js';
import { UserRole } from './role.js';

const emailTaken = () => conflict('An account with this email already exists');

/** The unique index on lower(email) as CONFLICT; the driver's message never reaches the client. */
export const emailErrors = { users_email_lower_key: emailTaken };

export const SignUpInput = builder.inputType('SignUpInput', {
  description: 'A new account. Its role is always USER.',
  fields: (t) => ({
    name: t.string({
      required: true,
      description: 'Display name, 2–255 characters.',
      validate: { schema: nameRule },
    }),
    email: t.string({
      required: true,
      description: 'Sign-in address, at most 255 characters; not a disposable-mailbox domain.',
      validate: { schema: newEmailRule },
    }),
    password: t.string({
      required: true,
      description: '8–128 characters.',
      validate: { schema: passwordRule },
    }),
  }),
});

export const SignInInput = builder.inputType('SignInInput', {
  description: 'Credentials of an existing account.',
  fields: (t) => ({
    email: t.string({
      required: true,
      description: 'Sign-in address (any letter case).',
      validate: { schema: emailRule },
    }),
    password: t.string({
      required: true,
      description: 'The account password.',
      // Only the cap: a short password simply fails to match.
      validate: { schema: z.string().max(128, 'must be at most 128 characters') },
    }),
  }),
});

export const UpdateUserInput = builder.inputType('UpdateUserInput', {
  description: 'Changes to an account; omitted fields stay as they are.',
  fields: (t) => ({
    name: t.string({ description: 'New display name, 2–255 characters.', validate: { schema: nameRule } }),
    email: t.string({
      description: 'New sign-in address; must not belong to another account.',
      validate: { schema: newEmailRule },
    }),
    password: t.string({
      description: "New password, 8–128 characters. Signs the account's other sessions out.",
      validate: { schema: passwordRule },
    }),
    currentPassword: t.string({
      description:
        'Required with `password` when changing your own password; admins resetting another account omit it.',
      validate: { schema: z.string().max(128, 'must be at most 128 characters') },
    }),
    role: t.field({
      type: UserRole,
      description: 'New role. Admins only; the last admin cannot be demoted.',
    }),
  }),
});
