import { acquisitions, companies } from '../../db/schema.js';
import type { Context } from '../context.js';
import type { AcquisitionRow, ChangeKind, CompanyRow, LiveMessage } from './messages.js';

type Row = typeof acquisitions.$inferSelect | typeof companies.$inferSelect;

type Parties = { acquirerId: number; targetId: number };

/**
 * Before an update that changes a deal's companies: who they were, so the companies it
 * leaves hear of it (companyEvents). One primary-key read, only when the parties change.
 */
export async function partiesBefore(
  ctx: Context,
  table: unknown,
  id: number,
  changes: object,
): Promise<Parties | undefined> {
  if (table !== acquisitions || !('acquirerId' in changes || 'targetId' in changes)) return undefined;
  return ctx.db.query.acquisitions.findFirst({
    columns: { acquirerId: true, targetId: true },
    where: { id },
  });
}

function formerParties(before: Parties | undefined, after: Parties): { formerParties?: number[] } {
  const left = [before?.acquirerId, before?.targetId].filter(
    (id): id is number => id !== undefined && id !== after.acquirerId && id !== after.targetId,
  );
  return left.length > 0 ? { formerParties: left } : {};
}

/** Through JSON, as every instance receives it. */
const wire = <T>(row: object): T => JSON.parse(JSON.stringify(row)) as T;

/**
 * Publishes the change a write made to a row of `table`. Called by row-writes.ts once the
 * write's statement has returned: each is a statement of its own, committed when it returns,
 * so a refused or failed write publishes nothing.
 */
export function publishRowChange(
  ctx: Context,
  table: unknown,
  kind: ChangeKind,
  row: Row,
  /** For an update: the parties the deal had before it (partiesBefore). */
  before?: Parties,
): void {
  const at = new Date().toISOString();
  let message: LiveMessage;
  if (table === acquisitions) {
    const acquisition = row as typeof acquisitions.$inferSelect;
    message = {
      type: 'acquisition',
      kind,
      id: acquisition.id,
      acquirerId: acquisition.acquirerId,
      targetId: acquisition.targetId,
      status: acquisition.status,
      ...formerParties(before, acquisition),
      row: kind === 'DELETED' ? null : wire<AcquisitionRow>(acquisition),
      at,
    };
  } else if (table === companies) {
    message = {
      type: 'company',
      kind,
      id: row.id,
      row: kind === 'DELETED' ? null : wire<CompanyRow>(row),
      at,
    };
  } else {
    return;
  }
  ctx.live.publish(message);
}
