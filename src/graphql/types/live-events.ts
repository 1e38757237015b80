import { builder } from '../builder.js';
import type { Context } from '../context.js';
import type { StreamItem } from '../events/live-stream.js';
import type { AcquisitionChange, CompanyChange, DomainChange } from '../events/messages.js';
import { notFound } from '../errors.js';
import { globalIdRule, requireRowId } from '../global-id.js';
import { Acquisition } from './acquisition.js';
import { AcquisitionStatus } from './acquisition-status.js';
import { Company } from './company.js';

/** A relational query as the Drizzle plugin plans it for a field's selection. */
interface PlannedQuery {
  with?: object;
  extras?: object;
}

/**
 * The row an event carries, when the selection needs only its own columns: a thousand
 * subscribers then cost no read. Relations (or computed extras) are read now, through the
 * planned query, for this subscriber — with the object as it is at delivery.
 */
async function fromEvent<Q extends PlannedQuery, Row>(
  query: Q,
  row: unknown,
  read: (query: Q) => Promise<Row | undefined>,
): Promise<Row | null> {
  const readsMore = Object.keys(query.with ?? {}).length > 0 || Object.keys(query.extras ?? {}).length > 0;
  return readsMore ? ((await read(query)) ?? null) : (row as Row);
}

export const ChangeKind = builder.enumType('ChangeKind', {
  description: 'What a write did to an object.',
  values: {
    CREATED: { description: 'The object was created.' },
    UPDATED: { description: 'The object was changed.' },
    DELETED: { description: 'The object was deleted.' },
  } as const,
});

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** What every change event tells: what the write did, and when it committed. */
const changeFields = <Change extends DomainChange>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, Change>,
) => ({
  kind: t.field({ type: ChangeKind, description: 'What the write did.', resolve: (e) => e.kind }),
  at: t.field({ type: 'DateTime', description: 'When the write committed.', resolve: (e) => new Date(e.at) }),
});

const AcquisitionEvent = builder.objectRef<AcquisitionChange>('AcquisitionEvent').implement({
  description: 'An acquisition was created, changed or deleted (sent once the write has committed).',
  isTypeOf: (value) => (value as DomainChange).type === 'acquisition',
  fields: (t) => ({
    ...changeFields(t),
    acquisition: t.drizzleField({
      type: Acquisition,
      nullable: true,
      description:
        'The acquisition as the write left it; null after a delete. Selecting its companies (or its creator) reads it again when the event is delivered.',
      resolve: (query, e, _args, ctx) =>
        e.row &&
        fromEvent(query({ where: { id: e.id } }), e.row, (q) => ctx.db.query.acquisitions.findFirst(q)),
    }),
    acquisitionId: t.globalID({
      description: 'The acquisition’s global id, also after a delete.',
      resolve: (e) => ({ type: 'Acquisition', id: e.id }),
    }),
  }),
});

const CompanyEvent = builder.objectRef<CompanyChange>('CompanyEvent').implement({
  description: 'A company was created, changed or deleted (sent once the write has committed).',
  isTypeOf: (value) => (value as DomainChange).type === 'company',
  fields: (t) => ({
    ...changeFields(t),
    company: t.drizzleField({
      type: Company,
      nullable: true,
      description:
        'The company as the write left it; null after a delete. Selecting its acquisitions (or its creator) reads it again when the event is delivered.',
      resolve: (query, e, _args, ctx) =>
        e.row && fromEvent(query({ where: { id: e.id } }), e.row, (q) => ctx.db.query.companies.findFirst(q)),
    }),
    companyId: t.globalID({
      description: 'The company’s global id, also after a delete.',
      resolve: (e) => ({ type: 'Company', id: e.id }),
    }),
  }),
});

const CompanyActivity = builder.unionType('CompanyActivity', {
  description:
    'A change to one company (CompanyEvent) or to an acquisition it takes part in (AcquisitionEvent).',
  types: [CompanyEvent, AcquisitionEvent],
});

const AcquisitionEventFilter = builder.inputType('AcquisitionEventFilter', {
  description: 'Which acquisition events to receive; every condition given applies.',
  fields: (t) => ({
    companyId: t.id({
      description: 'Only deals this company takes part in, as acquirer or target (a Company id).',
      validate: { schema: globalIdRule('Company') },
    }),
    status: t.field({
      type: [AcquisitionStatus],
      description:
        'Only acquisitions in any of these statuses after the write (omitted or empty: any status).',
    }),
  }),
});

/** The stream's items as a subscription field delivers them: an end marker raises its error. */
const deliver = <T extends DomainChange>(item: StreamItem) => {
  if (item.type === 'end') throw item.error;
  return item as T;
};

const takesPart = (change: AcquisitionChange, companyId: number) =>
  change.acquirerId === companyId || change.targetId === companyId;

/** Takes part, or took part until this change moved the deal to other companies. */
const concerns = (change: AcquisitionChange, companyId: number) =>
  takesPart(change, companyId) || (change.formerParties?.includes(companyId) ?? false);

builder.subscriptionField('acquisitionEvents', (t) =>
  t.field({
    type: AcquisitionEvent,
    description:
      'Every acquisition created, changed or deleted from now on, once the write has committed. Public.',
    args: {
      filter: t.arg({ type: AcquisitionEventFilter, description: 'Only events meeting these conditions.' }),
    },
    subscribe: (_root, { filter }, ctx: Context) => {
      const companyId =
        filter?.companyId == null ? undefined : requireRowId(filter.companyId, 'Company', 'filter.companyId');
      const statuses = filter?.status?.length ? new Set<string>(filter.status) : undefined;
      return ctx.live.open(
        ctx,
        (change) =>
          change.type === 'acquisition' &&
          (companyId === undefined || takesPart(change, companyId)) &&
          (statuses === undefined || statuses.has(change.status)),
      );
    },
    resolve: (item) => deliver<AcquisitionChange>(item as StreamItem),
  }),
);

builder.subscriptionField('companyEvents', (t) =>
  t.field({
    type: CompanyActivity,
    description:
      'Changes to one company and to every acquisition it takes part in (or leaves, when an update moves the deal to other companies), from now on, once each write has committed. Public. NOT_FOUND when there is no such company.',
    args: { id: t.arg.id({ required: true, description: 'The company’s global id.' }) },
    subscribe: async (_root, args, ctx: Context) => {
      const id = requireRowId(args.id, 'Company', 'id');
      const company = await ctx.db.query.companies.findFirst({ columns: { id: true }, where: { id } });
      if (!company) throw notFound('Company');
      return ctx.live.open(ctx, (change) =>
        change.type === 'company' ? change.id === id : concerns(change, id),
      );
    },
    resolve: (item) => deliver<DomainChange>(item as StreamItem),
  }),
);
