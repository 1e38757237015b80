import { companies } from '../../db/schema.js';
import { rememberCompanyRole, type CompanyRole } from '../acquisition-counts.js';
import { builder } from '../builder.js';
import { assertPageArgs, totalCountField } from '../connections.js';
import { notFound } from '../errors.js';
import { requireRowId, rowIdOf } from '../global-id.js';
import { drizzleOrdering } from '../ordering.js';
import { editableBy } from '../ownership.js';
import { plannedRow, rootLookup } from '../planned-row.js';
import { relatedListPlan } from '../read-plans.js';
import { rootList } from '../root-lists.js';
import { deleteRow, insertRow, updateRow } from '../row-writes.js';
import { textCost } from '../text-cost.js';
import { signedInViewer } from '../viewer.js';
import { AcquisitionConnection } from './acquisition.js';
import { AcquisitionOrder, acquisitionOrdering, type AcquisitionOrderShape } from './acquisition-order.js';
import {
  CreateCompanyInput,
  deleteConstraintErrors,
  maxDescriptionLength,
  maxIndustryLength,
  maxNameLength,
  maxWebsiteLength,
  optionalColumns,
  UpdateCompanyInput,
  writeConstraintErrors,
} from './company-inputs.js';
import {
  CompanyOrder,
  companyOrdering,
  maxSearchLength,
  searchSql,
  type CompanyOrderShape,
} from './company-order.js';

type CompanyTable = typeof companies;

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

// ---- queries ----

builder.queryField('company', (t) =>
  t.drizzleField({
    type: Company,
    nullable: true,
    description: 'One company by id; null when there is none. Public.',
    args: { id: t.arg.id({ required: true, description: 'The company’s global id.' }) },
    ...rootLookup('companies'),
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
      ...rootList('companies', companyListWhere, companyListOrdering),
    },
    CompanyConnection,
  ),
);

// ---- mutations ----

builder.mutationField('createCompany', (t) =>
  t.drizzleField({
    type: Company,
    description:
      'Records a company. Any signed-in user, or an API key with write access. A taken name is a CONFLICT.',
    authScopes: { writer: true },
    args: { input: t.arg({ type: CreateCompanyInput, required: true, description: 'The company.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const values = {
        name: input.name.trim(),
        ...optionalColumns(input),
        createdById: signedInViewer(ctx).userId,
      };
      const id = await insertRow(ctx, companies, values, writeConstraintErrors);
      return plannedRow(ctx, 'companies', query, id);
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
      return plannedRow(ctx, 'companies', query, id);
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
      const company = await plannedRow(ctx, 'companies', query, id);
      // Deleted by someone else between the two statements.
      if (!(await deleteRow(ctx, companies, id, deleteConstraintErrors))) throw notFound('Company');
      return company;
    },
  }),
);
