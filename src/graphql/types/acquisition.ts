import { and, eq, gte, inArray, isNotNull, lte, sql, type SQL } from 'drizzle-orm';
import { acquisitions, announcedOnSortKey, priceSortKey } from '../../db/schema.js';
import { countCompanyAcquisitions } from '../acquisition-counts.js';
import { builder } from '../builder.js';
import {
  assertPageArgs,
  rememberPageTotal,
  selectsField,
  totalCountColumn,
  totalCountField,
  totalCountKey,
} from '../connections.js';
import {
  createdAtKey,
  drizzleOrdering,
  idKey,
  type Direction,
  type Ordering,
  type SortKey,
} from '../ordering.js';
import { embeddedObject, listPlan, readPlan } from '../read-plans.js';
import { textCost } from '../text-cost.js';
import { withDatabaseErrors, type ConstraintErrors } from '../database-errors.js';
import { badUserInput, conflict, notFound } from '../errors.js';
import { globalIdRule, requireRowId, rowIdOf } from '../global-id.js';
import { editableBy } from '../ownership.js';
import { deleteRow, insertRow, updateRow } from '../row-writes.js';
import { signedInViewer } from '../viewer.js';
import { amountRule, currencyRule, Money, MoneyInput } from './money.js';
import { OrderDirection } from './order-direction.js';

type AcquisitionTable = typeof acquisitions;
type Status = (typeof acquisitions.$inferSelect)['status'];

/** The longest notes accepted; the output field is priced by it. */
const maxNotesLength = 10_000;

export const AcquisitionStatus = builder.enumType('AcquisitionStatus', {
  description: 'How far an acquisition has got.',
  values: {
    RUMORED: { value: 'rumored', description: 'Reported by the press, not confirmed by either party.' },
    ANNOUNCED: { value: 'announced', description: 'Agreed and announced publicly.' },
    PENDING: {
      value: 'pending',
      description: 'Announced and awaiting approvals (shareholders, regulators).',
    },
    COMPLETED: { value: 'completed', description: 'Closed: the acquirer owns the target.' },
    CANCELLED: { value: 'cancelled', description: 'Called off, withdrawn or blocked.' },
  } as const,
});

/** The Date scalar hands resolvers a Date at UTC midnight; the columns hold YYYY-MM-DD. */
const isoDate = (date: Date) => date.toISOString().slice(0, 10);
const isoDateOrNull = (date: Date | null | undefined) => (date ? isoDate(date) : null);

/** Price is known only when both halves are: one definition for both read paths. */
const price = embeddedObject<
  typeof acquisitions.$inferSelect,
  { amount: 'priceAmount'; currency: 'currency' }
>({
  amount: 'priceAmount',
  currency: 'currency',
});

export const Acquisition = builder.drizzleNode('acquisitions', {
  name: 'Acquisition',
  description: 'One company buying, or setting out to buy, another.',
  // Only the columns the requested fields expose are loaded.
  select: {},
  id: { column: (acquisition) => acquisition.id },
  fields: (t) => ({
    acquirer: t.relation('acquirer', {
      description: 'The buyer.',
      extensions: readPlan({ kind: 'relation', relation: 'acquirer' }),
    }),
    target: t.relation('target', {
      description: 'The company being bought.',
      extensions: readPlan({ kind: 'relation', relation: 'target' }),
    }),
    status: t.expose('status', { type: AcquisitionStatus, description: 'How far the deal has got.' }),
    price: t.field({
      type: Money,
      nullable: true,
      description: 'The reported price; null when it was not disclosed.',
      ...price,
    }),
    announcedOn: t.expose('announcedOn', {
      type: 'Date',
      nullable: true,
      description: 'When the deal was announced (or first reported); null when unknown.',
    }),
    closedOn: t.expose('closedOn', {
      type: 'Date',
      nullable: true,
      description: 'When the deal closed; null while it is open, when it was cancelled, or when unknown.',
    }),
    notes: t.exposeString('notes', {
      nullable: true,
      description: 'Free-form remarks and sources.',
      extensions: textCost(maxNotesLength),
    }),
    createdBy: t.relation('createdBy', {
      description:
        'Who recorded the acquisition. Admins only: null for everyone else, and once the account is deleted.',
      nullable: true,
      authScopes: { admin: true },
      unauthorizedResolver: () => null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the acquisition was recorded.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the record last changed.' }),
  }),
});

export const AcquisitionConnection = builder.connectionObject(
  {
    type: Acquisition,
    name: 'AcquisitionConnection',
    description: 'One page of acquisitions.',
    fields: (t) => ({
      totalCount: t.int(totalCountField('acquisitions', countCompanyAcquisitions)),
    }),
  },
  { name: 'AcquisitionEdge', description: 'One acquisition on a page, with its cursor.' },
);

// ---- ordering ----

export const AcquisitionOrderField = builder.enumType('AcquisitionOrderField', {
  description: 'What acquisitions can be sorted by. Ties are broken by id, so pages never skip or repeat.',
  values: {
    ANNOUNCED_ON: {
      value: 'announcedOn',
      description: 'Announcement date; unknown dates count as the earliest (last when DESC).',
    },
    PRICE: {
      value: 'price',
      description:
        'Price amount, whatever the currency; undisclosed prices count as the lowest (last when DESC).',
    },
    CREATED_AT: { value: 'createdAt', description: 'When the acquisition was recorded.' },
  } as const,
});

export const AcquisitionOrder = builder.inputType('AcquisitionOrder', {
  description: 'How to sort acquisitions.',
  fields: (t) => ({
    field: t.field({ type: AcquisitionOrderField, required: true, description: 'What to sort by.' }),
    direction: t.field({ type: OrderDirection, required: true, description: 'Which way.' }),
  }),
});

export type AcquisitionOrderShape = { field: 'announcedOn' | 'price' | 'createdAt'; direction: Direction };

/** Calendar days as Postgres writes them, and the sort key's stand-in for an unknown one. */
const isDateKey = (text: string) =>
  text === '-infinity' || (/^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)));

const announcedOnKey: SortKey<AcquisitionTable> = {
  name: 'announcedOnSortKey',
  expression: (table) => announcedOnSortKey(table.announcedOn),
  isColumn: false,
  kind: 'string',
  sqlType: 'date',
  accepts: isDateKey,
};

const priceKey: SortKey<AcquisitionTable> = {
  name: 'priceSortKey',
  expression: (table) => priceSortKey(table.priceAmount),
  isColumn: false,
  kind: 'string',
  sqlType: 'numeric',
  // numeric(20,2) as Postgres writes it, or the -1 that stands for an undisclosed price.
  accepts: (text) => /^-?\d{1,18}(\.\d{1,2})?$/.test(text),
};

/**
 * The ordering of an acquisition list, for both read paths. Nullable columns are ordered
 * by their never-null sort keys (a cursor cannot page past a null); each ordering has an
 * index in schema.ts. Default: newest announcement first.
 */
export function acquisitionOrdering(
  order: AcquisitionOrderShape | null | undefined,
): Ordering<AcquisitionTable> {
  const direction = order?.direction ?? 'desc';
  const first = { price: priceKey, createdAt: createdAtKey<AcquisitionTable>(), announcedOn: announcedOnKey }[
    order?.field ?? 'announcedOn'
  ];
  return { keys: [first, idKey<AcquisitionTable>()], direction };
}

// ---- filtering ----

export const AcquisitionFilter = builder.inputType('AcquisitionFilter', {
  description: 'Conditions an acquisition must meet; every condition given applies.',
  fields: (t) => ({
    status: t.field({
      type: [AcquisitionStatus],
      description: 'Any of these statuses (omitted or empty: any status).',
    }),
    acquirerId: t.id({
      description: 'Bought by this company (a Company id).',
      validate: { schema: globalIdRule('Company') },
    }),
    targetId: t.id({
      description: 'Of this target company (a Company id).',
      validate: { schema: globalIdRule('Company') },
    }),
    announcedFrom: t.field({ type: 'Date', description: 'Announced on or after this day.' }),
    announcedTo: t.field({ type: 'Date', description: 'Announced on or before this day.' }),
    minPrice: t.string({
      description: 'Price amount at least this (a decimal string); undisclosed prices never match.',
      validate: { schema: amountRule },
    }),
    maxPrice: t.string({
      description: 'Price amount at most this (a decimal string); undisclosed prices never match.',
      validate: { schema: amountRule },
    }),
    currency: t.string({
      description: 'Priced in this ISO 4217 currency.',
      validate: { schema: currencyRule },
    }),
  }),
});

export interface AcquisitionFilterShape {
  status?: Status[] | null;
  acquirerId?: string | null;
  targetId?: string | null;
  announcedFrom?: Date | null;
  announcedTo?: Date | null;
  minPrice?: string | null;
  maxPrice?: string | null;
  currency?: string | null;
}

/**
 * The filter as SQL over `table` (the aliased table inside a relational query, or the
 * table itself in a count), so a page and its totalCount apply the same conditions. Dates
 * and prices compare through the sort keys, which their indexes are built on.
 */
function acquisitionFilterSql(table: AcquisitionTable, filter: AcquisitionFilterShape | null | undefined) {
  if (!filter) return undefined;
  const announced = announcedOnSortKey(table.announcedOn);
  const price = priceSortKey(table.priceAmount);
  const conditions: (SQL | undefined)[] = [
    filter.status?.length ? inArray(table.status, filter.status) : undefined,
    filter.acquirerId != null
      ? eq(table.acquirerId, requireRowId(filter.acquirerId, 'Company', 'filter.acquirerId'))
      : undefined,
    filter.targetId != null
      ? eq(table.targetId, requireRowId(filter.targetId, 'Company', 'filter.targetId'))
      : undefined,
    filter.announcedFrom ? gte(announced, isoDate(filter.announcedFrom)) : undefined,
    filter.announcedTo
      ? and(lte(announced, isoDate(filter.announcedTo)), isNotNull(table.announcedOn))
      : undefined,
    filter.minPrice != null ? gte(price, filter.minPrice) : undefined,
    filter.maxPrice != null ? and(lte(price, filter.maxPrice), isNotNull(table.priceAmount)) : undefined,
    filter.currency != null ? eq(table.currency, filter.currency.toUpperCase()) : undefined,
  ];
  return and(...conditions);
}

// ---- queries ----

builder.queryField('acquisition', (t) =>
  t.drizzleField({
    type: Acquisition,
    nullable: true,
    description: 'One acquisition by id; null when there is none. Public.',
    args: { id: t.arg.id({ required: true, description: 'The acquisition’s global id.' }) },
    extensions: readPlan({ kind: 'lookup', table: 'acquisitions' }),
    resolve: async (query, _root, args, ctx) =>
      (await ctx.db.query.acquisitions.findFirst(
        query({ where: { id: requireRowId(args.id, 'Acquisition', 'id') } }),
      )) ?? null,
  }),
);

interface AcquisitionListArgs {
  filter?: AcquisitionFilterShape | null;
  orderBy?: AcquisitionOrderShape | null;
}

const acquisitionListOrdering = (args: AcquisitionListArgs) => acquisitionOrdering(args.orderBy);
const acquisitionListWhere = (args: AcquisitionListArgs, table: AcquisitionTable) =>
  acquisitionFilterSql(table, args.filter);

builder.queryField('acquisitions', (t) =>
  t.drizzleConnection(
    {
      type: Acquisition,
      description:
        'Acquisitions, newest announcement first unless `orderBy` says otherwise; at most 100 per page. Public.',
      args: {
        filter: t.arg({
          type: AcquisitionFilter,
          description: 'Only acquisitions meeting these conditions.',
        }),
        orderBy: t.arg({ type: AcquisitionOrder, description: 'Sort order; default ANNOUNCED_ON DESC.' }),
      },
      extensions: listPlan('acquisitions', acquisitionListWhere, acquisitionListOrdering),
      // Only when no row of the page could carry the total (see resolveTotalCount).
      totalCount: (_root, args, ctx) => {
        // A totalCount-only selection skips the resolver, so its checks run here too.
        assertPageArgs(args, acquisitionListOrdering(args));
        return ctx.db.$count(acquisitions, acquisitionListWhere(args, acquisitions));
      },
      resolve: async (query, _root, args, ctx, info) => {
        const ordering = acquisitionListOrdering(args);
        assertPageArgs(args, ordering);
        const withTotal = selectsField(info, 'totalCount');
        const { extras, orderBy } = drizzleOrdering(ordering);
        const rows = await withDatabaseErrors(() =>
          ctx.db.query.acquisitions.findMany(
            query({
              where: { RAW: (table) => acquisitionListWhere(args, table) ?? sql`true` },
              extras: {
                ...extras,
                ...(withTotal
                  ? {
                      [totalCountKey]: totalCountColumn(
                        acquisitions,
                        acquisitionListWhere(args, acquisitions),
                      ),
                    }
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
    AcquisitionConnection,
  ),
);

// ---- mutations ----

/** What the database refuses on insert or update, told in terms of the input. */
const writeConstraintErrors: ConstraintErrors = {
  acquisitions_distinct_parties: () =>
    badUserInput([{ field: 'input.targetId', message: 'must be another company than the acquirer' }]),
  acquisitions_closed_after_announced: () =>
    badUserInput([{ field: 'input.closedOn', message: 'must not be before announcedOn' }]),
  acquisitions_price_non_negative: () =>
    badUserInput([{ field: 'input.price.amount', message: 'must not be negative' }]),
  acquisitions_price_has_currency: () =>
    badUserInput([{ field: 'input.price.currency', message: 'is required with an amount' }]),
  acquisitions_acquirer_id_companies_id_fkey: () =>
    badUserInput([{ field: 'input.acquirerId', message: 'no company has this id' }]),
  acquisitions_target_id_companies_id_fkey: () =>
    badUserInput([{ field: 'input.targetId', message: 'no company has this id' }]),
  acquisitions_created_by_users_id_fkey: () => conflict('Your account no longer exists'),
};

const sameCompany = (input: { acquirerId?: string | null; targetId?: string | null }) => {
  const acquirer = input.acquirerId == null ? undefined : rowIdOf(input.acquirerId, 'Company');
  return (
    acquirer !== undefined &&
    acquirer === (input.targetId == null ? undefined : rowIdOf(input.targetId, 'Company'))
  );
};

const closedBeforeAnnounced = (input: { announcedOn?: Date | null; closedOn?: Date | null }) =>
  !!input.announcedOn && !!input.closedOn && input.closedOn < input.announcedOn;

const CreateAcquisitionInput = builder.inputType('CreateAcquisitionInput', {
  description: 'A new acquisition.',
  fields: (t) => ({
    acquirerId: t.id({
      required: true,
      description: 'The buyer (a Company id).',
      validate: { schema: globalIdRule('Company') },
    }),
    targetId: t.id({
      required: true,
      description: 'The company being bought (a Company id); not the acquirer.',
      validate: { schema: globalIdRule('Company') },
    }),
    status: t.field({ type: AcquisitionStatus, required: true, description: 'How far the deal has got.' }),
    price: t.field({ type: MoneyInput, description: 'The reported price; omit when undisclosed.' }),
    announcedOn: t.field({ type: 'Date', description: 'When the deal was announced.' }),
    closedOn: t.field({ type: 'Date', description: 'When the deal closed; not before announcedOn.' }),
    notes: t.string({
      description: 'Free-form remarks and sources, at most 10,000 characters.',
      validate: { maxLength: maxNotesLength },
    }),
  }),
  validate: [
    [
      (input) => !sameCompany(input),
      { message: 'must be another company than the acquirer', path: ['targetId'] },
    ],
    [
      (input) => !closedBeforeAnnounced(input),
      { message: 'must not be before announcedOn', path: ['closedOn'] },
    ],
  ],
});

const UpdateAcquisitionInput = builder.inputType('UpdateAcquisitionInput', {
  description: 'Changes to an acquisition: omitted fields stay as they are, null clears an optional one.',
  fields: (t) => ({
    acquirerId: t.id({
      description: 'The buyer (a Company id).',
      validate: { schema: globalIdRule('Company') },
    }),
    targetId: t.id({
      description: 'The company being bought (a Company id); not the acquirer.',
      validate: { schema: globalIdRule('Company') },
    }),
    status: t.field({ type: AcquisitionStatus, description: 'How far the deal has got.' }),
    price: t.field({ type: MoneyInput, description: 'The reported price; null when undisclosed.' }),
    announcedOn: t.field({ type: 'Date', description: 'When the deal was announced; null when unknown.' }),
    closedOn: t.field({ type: 'Date', description: 'When the deal closed; null while open or unknown.' }),
    notes: t.string({
      description: 'Free-form remarks, at most 10,000 characters; null clears them.',
      validate: { maxLength: maxNotesLength },
    }),
  }),
  validate: [
    [(input) => input.acquirerId !== null, { message: 'cannot be null', path: ['acquirerId'] }],
    [(input) => input.targetId !== null, { message: 'cannot be null', path: ['targetId'] }],
    [(input) => input.status !== null, { message: 'cannot be null', path: ['status'] }],
    [
      (input) => !sameCompany(input),
      { message: 'must be another company than the acquirer', path: ['targetId'] },
    ],
    [
      (input) => !closedBeforeAnnounced(input),
      { message: 'must not be before announcedOn', path: ['closedOn'] },
    ],
  ],
});

builder.mutationField('createAcquisition', (t) =>
  t.drizzleField({
    type: Acquisition,
    description: 'Records an acquisition. Any signed-in user, or an API key with write access.',
    authScopes: { writer: true },
    args: { input: t.arg({ type: CreateAcquisitionInput, required: true, description: 'The acquisition.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = await insertRow(
        ctx,
        acquisitions,
        {
          acquirerId: requireRowId(input.acquirerId, 'Company', 'input.acquirerId'),
          targetId: requireRowId(input.targetId, 'Company', 'input.targetId'),
          status: input.status,
          priceAmount: input.price?.amount ?? null,
          currency: input.price?.currency.toUpperCase() ?? null,
          announcedOn: isoDateOrNull(input.announcedOn),
          closedOn: isoDateOrNull(input.closedOn),
          notes: input.notes ?? null,
          createdById: signedInViewer(ctx).userId,
        },
        writeConstraintErrors,
      );
      const acquisition = await ctx.db.query.acquisitions.findFirst(query({ where: { id } }));
      if (!acquisition) throw notFound('Acquisition');
      return acquisition;
    },
  }),
);

builder.mutationField('updateAcquisition', (t) =>
  t.drizzleField({
    type: Acquisition,
    description: 'Changes an acquisition and returns it. Its creator or an admin.',
    args: {
      id: t.arg.id({ required: true, description: 'The acquisition’s global id.' }),
      input: t.arg({ type: UpdateAcquisitionInput, required: true, description: 'The changes.' }),
    },
    authScopes: (_root, args, ctx) =>
      editableBy(ctx, rowIdOf(args.id, 'Acquisition'), (id) =>
        ctx.db.query.acquisitions.findFirst({ columns: { createdById: true }, where: { id } }),
      ),
    resolve: async (query, _root, { id: globalId, input }, ctx) => {
      const id = requireRowId(globalId, 'Acquisition', 'id');
      const changes: Partial<typeof acquisitions.$inferInsert> = {};
      if (input.acquirerId != null)
        changes.acquirerId = requireRowId(input.acquirerId, 'Company', 'input.acquirerId');
      if (input.targetId != null)
        changes.targetId = requireRowId(input.targetId, 'Company', 'input.targetId');
      if (input.status != null) changes.status = input.status;
      if (input.price !== undefined) {
        changes.priceAmount = input.price?.amount ?? null;
        changes.currency = input.price?.currency.toUpperCase() ?? null;
      }
      if (input.announcedOn !== undefined) changes.announcedOn = isoDateOrNull(input.announcedOn);
      if (input.closedOn !== undefined) changes.closedOn = isoDateOrNull(input.closedOn);
      if (input.notes !== undefined) changes.notes = input.notes;

      if (!(await updateRow(ctx, acquisitions, id, changes, writeConstraintErrors))) {
        throw notFound('Acquisition');
      }
      const acquisition = await ctx.db.query.acquisitions.findFirst(query({ where: { id } }));
      if (!acquisition) throw notFound('Acquisition');
      return acquisition;
    },
  }),
);

builder.mutationField('deleteAcquisition', (t) =>
  t.drizzleField({
    type: Acquisition,
    description: 'Deletes an acquisition and returns it as it was. Admins only.',
    args: { id: t.arg.id({ required: true, description: 'The acquisition’s global id.' }) },
    authScopes: { $all: { writer: true, admin: true } },
    resolve: async (query, _root, { id: globalId }, ctx) => {
      const id = requireRowId(globalId, 'Acquisition', 'id');
      const acquisition = await ctx.db.query.acquisitions.findFirst(query({ where: { id } }));
      if (!acquisition) throw notFound('Acquisition');
      // Deleted by someone else between the two statements.
      if (!(await deleteRow(ctx, acquisitions, id))) throw notFound('Acquisition');
      return acquisition;
    },
  }),
);
