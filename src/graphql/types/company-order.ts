import { ilike, sql } from 'drizzle-orm';
import { companies } from '../../db/schema.js';
import { builder } from '../builder.js';
import { createdAtKey, idKey, type Direction, type Ordering, type SortKey } from '../ordering.js';
import { containsPattern } from '../search-pattern.js';
import { OrderDirection } from './order-direction.js';

type CompanyTable = typeof companies;

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

export type CompanyOrderShape = { field: 'name' | 'createdAt'; direction: Direction };

const nameKey: SortKey<CompanyTable> = {
  name: 'nameSortKey',
  expression: (table) => sql<string>`lower(${table.name})`,
  isColumn: false,
  kind: 'string',
  sqlType: 'text',
};

/** Default: by name, A first. Both orderings have an index (lower(name); created_at, id). */
export function companyOrdering(order: CompanyOrderShape | null | undefined): Ordering<CompanyTable> {
  const first = order?.field === 'createdAt' ? createdAtKey<CompanyTable>() : nameKey;
  return { keys: [first, idKey<CompanyTable>()], direction: order?.direction ?? 'asc' };
}

/** The longest `search` text accepted. */
export const maxSearchLength = 200;

/** Case-insensitive substring match on the name, for the page and its totalCount alike. */
export const searchSql = (table: CompanyTable, search: string | null | undefined) => {
  const pattern = containsPattern(search);
  return pattern === undefined ? undefined : ilike(table.name, pattern);
};
