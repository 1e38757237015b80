import { acquisitions } from '../../db/schema.js';
import { builder } from '../builder.js';
import type { ConstraintErrors } from '../database-errors.js';
import { badUserInput, conflict } from '../errors.js';
import { globalIdRule, requireRowId, rowIdOf } from '../global-id.js';
import { isoDateOrNull } from '../scalars.js';
import { AcquisitionStatus, type Status } from './acquisition-status.js';
import { MoneyInput } from './money.js';

/** The longest notes accepted; the output field is priced by it. */
export const maxNotesLength = 10_000;

/** What the database refuses on insert or update, told in terms of the input. */
export const writeConstraintErrors: ConstraintErrors = {
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

export const CreateAcquisitionInput = builder.inputType('CreateAcquisitionInput', {
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

export const UpdateAcquisitionInput = builder.inputType('UpdateAcquisitionInput', {
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

/** What a create or update input says of an acquisition (the update input's fields are all optional). */
interface AcquisitionInput {
  acquirerId?: string | null;
  targetId?: string | null;
  status?: Status | null;
  price?: { amount: string; currency: string } | null;
  announcedOn?: Date | null;
  closedOn?: Date | null;
  notes?: string | null;
}

/**
 * The columns an input sets, for a new acquisition and for changes alike: an omitted field
 * leaves its column alone, null clears an optional one (the inputs refuse null for the others).
 */
export function acquisitionColumns(input: AcquisitionInput): Partial<typeof acquisitions.$inferInsert> {
  const columns: Partial<typeof acquisitions.$inferInsert> = {};
  if (input.acquirerId != null)
    columns.acquirerId = requireRowId(input.acquirerId, 'Company', 'input.acquirerId');
  if (input.targetId != null) columns.targetId = requireRowId(input.targetId, 'Company', 'input.targetId');
  if (input.status != null) columns.status = input.status;
  if (input.price !== undefined) {
    columns.priceAmount = input.price?.amount ?? null;
    columns.currency = input.price?.currency.toUpperCase() ?? null;
  }
  if (input.announcedOn !== undefined) columns.announcedOn = isoDateOrNull(input.announcedOn);
  if (input.closedOn !== undefined) columns.closedOn = isoDateOrNull(input.closedOn);
  if (input.notes !== undefined) columns.notes = input.notes;
  return columns;
}
