import { and, eq, gte, inArray, isNotNull, lte, type SQL } from 'drizzle-orm';
import { acquisitions, announcedOnSortKey, priceSortKey } from '../../db/schema.js';
import { builder } from '../builder.js';
import { globalIdRule, requireRowId } from '../global-id.js';
import { isoDate } from '../scalars.js';
import { AcquisitionStatus, type Status } from './acquisition-status.js';
import { amountRule, currencyRule } from './money.js';

type AcquisitionTable = typeof acquisitions;

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
export function acquisitionFilterSql(
  table: AcquisitionTable,
  filter: AcquisitionFilterShape | null | undefined,
) {
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
