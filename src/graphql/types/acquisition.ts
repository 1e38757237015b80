import { acquisitions } from '../../db/schema.js';
import { countCompanyAcquisitions } from '../acquisition-counts.js';
import { builder } from '../builder.js';
import { totalCountField } from '../connections.js';
import { notFound } from '../errors.js';
import { requireRowId, rowIdOf } from '../global-id.js';
import { editableBy } from '../ownership.js';
import { plannedRow, rootLookup } from '../planned-row.js';
import { embeddedObject, readPlan } from '../read-plans.js';
import { rootList } from '../root-lists.js';
import { deleteRow, insertRow, updateRow } from '../row-writes.js';
import { textCost } from '../text-cost.js';
import { signedInViewer } from '../viewer.js';
import {
  AcquisitionFilter,
  acquisitionFilterSql,
  type AcquisitionFilterShape,
} from './acquisition-filter.js';
import {
  acquisitionColumns,
  CreateAcquisitionInput,
  maxNotesLength,
  UpdateAcquisitionInput,
  writeConstraintErrors,
} from './acquisition-inputs.js';
import { AcquisitionOrder, acquisitionOrdering, type AcquisitionOrderShape } from './acquisition-order.js';
import { AcquisitionStatus } from './acquisition-status.js';
import { Money } from './money.js';

type AcquisitionTable = typeof acquisitions;

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

// ---- queries ----

builder.queryField('acquisition', (t) =>
  t.drizzleField({
    type: Acquisition,
    nullable: true,
    description: 'One acquisition by id; null when there is none. Public.',
    args: { id: t.arg.id({ required: true, description: 'The acquisition’s global id.' }) },
    ...rootLookup('acquisitions'),
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
      ...rootList('acquisitions', acquisitionListWhere, acquisitionListOrdering),
    },
    AcquisitionConnection,
  ),
);

// ---- mutations ----

builder.mutationField('createAcquisition', (t) =>
  t.drizzleField({
    type: Acquisition,
    description: 'Records an acquisition. Any signed-in user, or an API key with write access.',
    authScopes: { writer: true },
    args: { input: t.arg({ type: CreateAcquisitionInput, required: true, description: 'The acquisition.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      // The create input requires the parties and the status, so every required column is set.
      const values = { ...acquisitionColumns(input), createdById: signedInViewer(ctx).userId };
      const id = await insertRow(
        ctx,
        acquisitions,
        values as AcquisitionTable['$inferInsert'],
        writeConstraintErrors,
      );
      return plannedRow(ctx, 'acquisitions', query, id);
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
      if (!(await updateRow(ctx, acquisitions, id, acquisitionColumns(input), writeConstraintErrors))) {
        throw notFound('Acquisition');
      }
      return plannedRow(ctx, 'acquisitions', query, id);
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
      const acquisition = await plannedRow(ctx, 'acquisitions', query, id);
      // Deleted by someone else between the two statements.
      if (!(await deleteRow(ctx, acquisitions, id))) throw notFound('Acquisition');
      return acquisition;
    },
  }),
);
