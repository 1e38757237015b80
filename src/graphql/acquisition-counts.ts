import { count, inArray } from 'drizzle-orm';
import { acquisitions } from '../db/schema.js';
import type { CountedConnection } from './connections.js';
import type { Context } from './context.js';

/** The side of a deal a company's related connection lists. */
export type CompanyRole = 'acquirerId' | 'targetId';

interface Batch {
  companyIds: Set<number>;
  counts: Promise<Map<number, number>>;
}

const openBatches = new WeakMap<Context, Partial<Record<CompanyRole, Batch>>>();

/**
 * How many acquisitions a company takes part in on one side. Calls made for one request in
 * the same turn of the event loop share one grouped count statement, so a page of companies
 * costs one statement, however many companies it holds.
 */
function countAcquisitions(ctx: Context, role: CompanyRole, companyId: number): Promise<number> {
  let open = openBatches.get(ctx);
  if (!open) {
    open = {};
    openBatches.set(ctx, open);
  }
  let batch = open[role];
  if (!batch) {
    const companyIds = new Set<number>();
    const batches = open;
    const counts = new Promise<Map<number, number>>((resolve, reject) => {
      // After every resolver of this turn has asked for its company.
      setImmediate(() => {
        delete batches[role];
        const column = acquisitions[role];
        ctx.db
          .select({ companyId: column, count: count() })
          .from(acquisitions)
          .where(inArray(column, [...companyIds]))
          .groupBy(column)
          .then((rows) => resolve(new Map(rows.map((row) => [row.companyId, Number(row.count)]))), reject);
      });
    });
    batch = { companyIds, counts };
    open[role] = batch;
  }
  batch.companyIds.add(companyId);
  return batch.counts.then((counts) => counts.get(companyId) ?? 0);
}

/**
 * Which side a related connection lists, keyed by its args object: the Drizzle plugin hands
 * the field's `query` callback and the connection it builds the same object, and the
 * connection type (shared by both sides and the root list) has no other way to tell.
 */
const roles = new WeakMap<object, CompanyRole>();

export function rememberCompanyRole(args: object, role: CompanyRole): void {
  roles.set(args, role);
}

/** The total of a company's related acquisitions connection, by a batched count. */
export function countCompanyAcquisitions(connection: CountedConnection, ctx: Context): Promise<number> {
  const role = roles.get(connection.args);
  const companyId = (connection.parent as { id?: unknown } | undefined)?.id;
  if (!role || typeof companyId !== 'number') {
    return Promise.reject(new Error('not a company’s acquisitions connection'));
  }
  return countAcquisitions(ctx, role, companyId);
}
