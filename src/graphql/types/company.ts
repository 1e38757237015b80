import { ilike, sql } from 'drizzle-orm';
import { GraphQLCountryCode } from 'graphql-scalars';
import { z } from 'zod';
import { companies } from '../../db/schema.js';
import { rememberCompanyRole, type CompanyRole } from '../acquisition-counts.js';
import { builder } from '../builder.js';
import {
  assertPageArgs,
  rememberPageTotal,
  selectsField,
  totalCountColumn,
  totalCountField,
  totalCountKey,
} from '../connections.js';
import { withDatabaseErrors, type ConstraintErrors } from '../database-errors.js';
import { AppError, notFound } from '../errors.js';
import { requireRowId, rowIdOf } from '../global-id.js';
import { editableBy } from '../ownership.js';
import { deleteRow, insertRow, updateRow } from '../row-writes.js';
import { signedInViewer } from '../viewer.js';
import {
  createdAtKey,
  drizzleOrdering,
  idKey,
  type Direction,
  type Ordering,
  type SortKey,
} from '../ordering.js';
import { listPlan, readPlan, relatedListPlan } from '../read-plans.js';
import { containsPattern } from '../search-pattern.js';
import { textCost } from '../text-cost.js';
import {
  AcquisitionConnection,
  AcquisitionOrder,
  acquisitionOrdering,
  type AcquisitionOrderShape,
} from './acquisition.js';
import { OrderDirection } from './order-direction.js';

type CompanyTable = typeof companies;

// The longest texts a company's fields accept; their output fields are priced by them.
const maxNameLength = 200;
const maxWebsiteLength = 2048;
const maxIndustryLength = 100;
const maxDescriptionLength = 5000;

export const Company = builder.drizzleNode('companies', {
  name: 'Company',
  description: 'A company that buys or is bought.',
  // Only the columns the requested fields expose are loaded.
  select: {},
  id: { column: (company) => company.id },
  fields: (t) => {
    /** A company's deals on one side: an acquisition list over the relation, for both read paths. */
    const deals = (relation: 'acquisitions' | 'acquiredBy', role: CompanyRole, description: string) =>
      t.relatedConnection(
        relation,
        {
          description,
          args: {
            orderBy: t.arg({ type: AcquisitionOrder, description: 'Sort order; default ANNOUNCED_ON DESC.' }),
          },
          extensions: relatedListPlan(relation, (args: { orderBy?: AcquisitionOrderShape | null }) =>
            acquisitionOrdering(args.orderBy),
          ),
          query: (args) => {
            const ordering = acquisitionOrdering(args.orderBy);
            assertPageArgs(args, ordering);
            rememberCompanyRole(args, role);
            return drizzleOrdering(ordering);
          },
        },
        AcquisitionConnection,
      );
    return {
      name: t.exposeString('name', {
        description: 'Name, unique regardless of letter case.',
        extensions: textCost(maxNameLength),
      }),
      website: t.exposeString('website', {
        nullable: true,
        description: 'Home page URL.',
        extensions: textCost(maxWebsiteLength),
      }),
      industry: t.exposeString('industry', {
        nullable: true,
        description: 'Industry, e.g. "Software".',
        extensions: textCost(maxIndustryLength),
      }),
      country: t.exposeString('country', {
        nullable: true,
        description: 'ISO 3166-1 alpha-2 code of the headquarters’ country, e.g. US.',
      }),
      foundedYear: t.exposeInt('foundedYear', {
        nullable: true,
        description: 'Year the company was founded.',
      }),
      description: t.exposeString('description', {
        nullable: true,
        description: 'What the company does.',
        extensions: textCost(maxDescriptionLength),
      }),
      acquisitions: deals(
        'acquisitions',
        'acquirerId',
        'Acquisitions this company made (as the acquirer), newest announcement first by default.',
      ),
      acquiredBy: deals(
        'acquiredBy',
        'targetId',
        'Acquisitions of this company (as the target), newest announcement first by default; usually one, more when earlier deals fell through.',
      ),
      createdBy: t.relation('createdBy', {
        description:
          'Who recorded the company. Admins only: null for everyone else, and once the account is deleted.',
        nullable: true,
        authScopes: { admin: true },
        unauthorizedResolver: () => null,
      }),
      createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the company was recorded.' }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the record last changed.' }),
    };
  },
});

export const CompanyConnection = builder.connectionObject(
  {
    type: Company,
    name: 'CompanyConnection',
    description: 'One page of companies.',
    fields: (t) => ({
      totalCount: t.int(totalCountField('companies')),
    }),
  },
  { name: 'CompanyEdge', description: 'One company on a page, with its cursor.' },
);

// ---- ordering and search ----

export const CompanyOrderField = builder.enumType('CompanyOrderField', {
  description: 'What companies can be sorted by. Ties are broken by id, so pages never skip or repeat.',
  values: {
    NAME: { value: 'name', description: 'Name, ignoring letter case.' },
    CREATED_AT: { value: 'createdAt', description: 'When the company was recorded.' },
  } as const,
});

export const CompanyOrder = builder.inputType('CompanyOrder', {
  description: 'How to sort companies.',
  fields: (t) => ({
    field: t.field({ type: CompanyOrderField, required: true, description: 'What to sort by.' }),
    direction: t.field({ type: OrderDirection, required: true, description: 'Which way.' }),
  }),
});

type CompanyOrderShape = { field: 'name' | 'createdAt'; direction: Direction };

const nameKey: SortKey<CompanyTable> = {
  name: 'nameSortKey',
  expression: (table) => sql<string>`lower(${table.name})`,
  isColumn: false,
  kind: 'string',
  sqlType: 'text',
};

/** Default: by name, A first. Both orderings have an index (lower(name); created_at, id). */
function companyOrdering(order: CompanyOrderShape | null | undefined): Ordering<CompanyTable> {
  const first = order?.field === 'createdAt' ? createdAtKey<CompanyTable>() : nameKey;
  return { keys: [first, idKey<CompanyTable>()], direction: order?.direction ?? 'asc' };
}

/** The longest `search` text accepted. */
const maxSearchLength = 200;

/** Case-insensitive substring match on the name, for the page and its totalCount alike. */
const searchSql = (table: CompanyTable, search: string | null | undefined) => {
  const pattern = containsPattern(search);
  return pattern === undefined ? undefined : ilike(table.name, pattern);
};

// ---- queries ----

builder.queryField('company', (t) =>
  t.drizzleField({
    type: Company,
    nullable: true,
    description: 'One company by id; null when there is none. Public.',
    args: { id: t.arg.id({ required: true, description: 'The company’s global id.' }) },
    extensions: readPlan({ kind: 'lookup', table: 'companies' }),
    resolve: async (query, _root, args, ctx) =>
      (await ctx.db.query.companies.findFirst(
        query({ where: { id: requireRowId(args.id, 'Company', 'id') } }),
      )) ?? null,
  }),
);

interface CompanyListArgs {
  search?: string | null;
  orderBy?: CompanyOrderShape | null;
}

const companyListOrdering = (args: CompanyListArgs) => companyOrdering(args.orderBy);
const companyListWhere = (args: CompanyListArgs, table: CompanyTable) => searchSql(table, args.search);

builder.queryField('companies', (t) =>
  t.drizzleConnection(
    {
      type: Company,
      description: 'Companies, by name unless `orderBy` says otherwise; at most 100 per page. Public.',
      args: {
        search: t.arg.string({
          description: 'Only companies whose name contains this text, ignoring letter case.',
          validate: { maxLength: maxSearchLength },
        }),
        orderBy: t.arg({ type: CompanyOrder, description: 'Sort order; default NAME ASC.' }),
      },
      extensions: listPlan('companies', companyListWhere, companyListOrdering),
      // Only when no row of the page could carry the total (see resolveTotalCount).
      totalCount: (_root, args, ctx) => {
        // A totalCount-only selection skips the resolver, so its checks run here too.
        assertPageArgs(args, companyListOrdering(args));
        return ctx.db.$count(companies, companyListWhere(args, companies));
      },
      resolve: async (query, _root, args, ctx, info) => {
        const ordering = companyListOrdering(args);
        assertPageArgs(args, ordering);
        const withTotal = selectsField(info, 'totalCount');
        const { extras, orderBy } = drizzleOrdering(ordering);
        const rows = await withDatabaseErrors(() =>
          ctx.db.query.companies.findMany(
            query({
              where: { RAW: (table) => companyListWhere(args, table) ?? sql`true` },
              extras: {
                ...extras,
                ...(withTotal
                  ? { [totalCountKey]: totalCountColumn(companies, companyListWhere(args, companies)) }
                  : {}),
              },
              orderBy,
            }),
          ),
        );
        if (withTotal) rememberPageTotal(args, rows);
        return rows;
      },
    },
    CompanyConnection,
  ),
);

// ---- mutations ----

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

const CreateCompanyInput = builder.inputType('CreateCompanyInput', {
  description: 'A new company.',
  fields: (t) => ({
    name: t.string({ required: true, description: nameDescription, validate: { schema: nameRule } }),
    ...optionalCompanyFields(t),
  }),
});

const UpdateCompanyInput = builder.inputType('UpdateCompanyInput', {
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

const writeConstraintErrors: ConstraintErrors = {
  companies_name_lower_key: duplicateName,
};

const stillReferenced = () =>
  new AppError(
    'CONFLICT',
    'This company is the acquirer or target of acquisitions; delete those acquisitions first',
  );

const deleteConstraintErrors: ConstraintErrors = {
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
function optionalColumns(input: CompanyFieldsInput): Partial<typeof companies.$inferInsert> {
  const columns: Partial<typeof companies.$inferInsert> = {};
  if (input.website !== undefined) columns.website = input.website;
  if (input.industry !== undefined) columns.industry = input.industry?.trim() || null;
  if (input.country !== undefined) columns.country = input.country?.toUpperCase() ?? null;
  if (input.foundedYear !== undefined) columns.foundedYear = input.foundedYear;
  if (input.description !== undefined) columns.description = input.description;
  return columns;
}

builder.mutationField('createCompany', (t) =>
  t.drizzleField({
    type: Company,
    description:
      'Records a company. Any signed-in user, or an API key with write access. A taken name is a CONFLICT.',
    authScopes: { writer: true },
    args: { input: t.arg({ type: CreateCompanyInput, required: true, description: 'The company.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = await insertRow(
        ctx,
        companies,
        {
          name: input.name.trim(),
          ...optionalColumns(input),
          createdById: signedInViewer(ctx).userId,
        },
        writeConstraintErrors,
      );
      const company = await ctx.db.query.companies.findFirst(query({ where: { id } }));
      if (!company) throw notFound('Company');
      return company;
    },
  }),
);

builder.mutationField('updateCompany', (t) =>
  t.drizzleField({
    type: Company,
    description: 'Changes a company and returns it. Its creator or an admin.',
    args: {
      id: t.arg.id({ required: true, description: 'The company’s global id.' }),
      input: t.arg({ type: UpdateCompanyInput, required: true, description: 'The changes.' }),
    },
    authScopes: (_root, args, ctx) =>
      editableBy(ctx, rowIdOf(args.id, 'Company'), (id) =>
        ctx.db.query.companies.findFirst({ columns: { createdById: true }, where: { id } }),
      ),
    resolve: async (query, _root, { id: globalId, input }, ctx) => {
      const id = requireRowId(globalId, 'Company', 'id');
      const changes = {
        ...optionalColumns(input),
        ...(input.name != null ? { name: input.name.trim() } : {}),
      };
      if (!(await updateRow(ctx, companies, id, changes, writeConstraintErrors))) throw notFound('Company');
      const company = await ctx.db.query.companies.findFirst(query({ where: { id } }));
      if (!company) throw notFound('Company');
      return company;
    },
  }),
);

builder.mutationField('deleteCompany', (t) =>
  t.drizzleField({
    type: Company,
    description:
      'Deletes a company and returns it as it was. Admins only. A company that still takes part in acquisitions is a CONFLICT.',
    args: { id: t.arg.id({ required: true, description: 'The company’s global id.' }) },
    authScopes: { $all: { writer: true, admin: true } },
    resolve: async (query, _root, { id: globalId }, ctx) => {
      const id = requireRowId(globalId, 'Company', 'id');
      const company = await ctx.db.query.companies.findFirst(query({ where: { id } }));
      if (!company) throw notFound('Company');
      // Deleted by someone else between the two statements.
      if (!(await deleteRow(ctx, companies, id, deleteConstraintErrors))) throw notFound('Company');
      return company;
    },
  }),
);
