import { acquisitions, announcedOnSortKey, priceSortKey } from '../../db/schema.js';
import { builder } from '../builder.js';
import { createdAtKey, idKey, type Direction, type Ordering, type SortKey } from '../ordering.js';
import { OrderDirection } from './order-direction.js';

type AcquisitionTable = typeof acquisitions;

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
