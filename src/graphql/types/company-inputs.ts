import { GraphQLCountryCode } from 'graphql-scalars';
import { z } from 'zod';
import type { companies } from '../../db/schema.js';
import { builder } from '../builder.js';
import type { ConstraintErrors } from '../database-errors.js';
import { AppError } from '../errors.js';

// The longest texts a company's fields accept; their output fields are priced by them.
export const maxNameLength = 200;
export const maxWebsiteLength = 2048;
export const maxIndustryLength = 100;
export const maxDescriptionLength = 5000;

const isCountryCode = (code: string) => {
  try {
    GraphQLCountryCode.parseValue(code);
    return true;
  } catch {
    return false;
  }
};

const nameRule = z
  .string()
  .refine((name) => name.trim().length > 0, 'must not be blank')
  .refine((name) => name.trim().length <= maxNameLength, `must be at most ${maxNameLength} characters`);

const websiteRule = z
  .string()
  .max(maxWebsiteLength, `must be at most ${maxWebsiteLength} characters`)
  .refine((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol), 'must be an http(s) URL');

/** graphql-scalars' list of ISO 3166-1 alpha-2 codes; any letter case, stored upper case. */
const countryRule = z.string().refine(isCountryCode, 'is not an ISO 3166-1 alpha-2 country code');

const foundedYearRule = z
  .number()
  .int()
  .min(1, 'must be a year of the common era')
  // Read at validation time, so a long-running server keeps up with the calendar.
  .refine((year) => year <= new Date().getUTCFullYear(), 'must not be in the future');

/** The optional company fields, the same for a new company and for changes to one. */
const optionalCompanyFields = (
  t: PothosSchemaTypes.InputFieldBuilder<typeof builder.$inferSchemaTypes, 'InputObject'>,
) => ({
  website: t.string({ description: 'Home page, an http(s) URL.', validate: { schema: websiteRule } }),
  industry: t.string({
    description: 'Industry, at most 100 characters.',
    validate: { maxLength: maxIndustryLength },
  }),
  country: t.string({
    description: 'ISO 3166-1 alpha-2 country code, e.g. US.',
    validate: { schema: countryRule },
  }),
  foundedYear: t.int({
    description: 'Year founded; not in the future.',
    validate: { schema: foundedYearRule },
  }),
  description: t.string({
    description: 'What the company does, at most 5,000 characters.',
    validate: { maxLength: maxDescriptionLength },
  }),
});

const nameDescription = 'Name, at most 200 characters; unique regardless of letter case.';

export const CreateCompanyInput = builder.inputType('CreateCompanyInput', {
  description: 'A new company.',
  fields: (t) => ({
    name: t.string({ required: true, description: nameDescription, validate: { schema: nameRule } }),
    ...optionalCompanyFields(t),
  }),
});

export const UpdateCompanyInput = builder.inputType('UpdateCompanyInput', {
  description: 'Changes to a company: omitted fields stay as they are, null clears an optional one.',
  fields: (t) => ({
    name: t.string({ description: nameDescription, validate: { schema: nameRule } }),
    ...optionalCompanyFields(t),
  }),
  validate: [[(input) => input.name !== null, { message: 'cannot be null', path: ['name'] }]],
});

const duplicateName = () =>
  new AppError('CONFLICT', 'A company with this name already exists', {
    fields: [{ field: 'input.name', message: 'is taken (names are compared ignoring letter case)' }],
  });

export const writeConstraintErrors: ConstraintErrors = {
  companies_name_lower_key: duplicateName,
};

const stillReferenced = () =>
  new AppError(
    'CONFLICT',
    'This company is the acquirer or target of acquisitions; delete those acquisitions first',
  );

export const deleteConstraintErrors: ConstraintErrors = {
  acquisitions_acquirer_id_companies_id_fkey: stillReferenced,
  acquisitions_target_id_companies_id_fkey: stillReferenced,
};

interface CompanyFieldsInput {
  website?: string | null;
  industry?: string | null;
  country?: string | null;
  foundedYear?: number | null;
  description?: string | null;
}

/** The optional columns an input sets: undefined leaves one alone, null clears it. */
export function optionalColumns(input: CompanyFieldsInput): Partial<typeof companies.$inferInsert> {
  const columns: Partial<typeof companies.$inferInsert> = {};
  if (input.website !== undefined) columns.website = input.website;
  if (input.industry !== undefined) columns.industry = input.industry?.trim() || null;
  if (input.country !== undefined) columns.country = input.country?.toUpperCase() ?? null;
  if (input.foundedYear !== undefined) columns.foundedYear = input.foundedYear;
  if (input.description !== undefined) columns.description = input.description;
  return columns;
}
