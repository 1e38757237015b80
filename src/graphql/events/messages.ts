import type { acquisitions, companies } from '../../db/schema.js';

export type ChangeKind = 'CREATED' | 'UPDATED' | 'DELETED';

/**
 * A row as the write returned it, after a round trip through JSON (timestamps as ISO
 * strings, which the DateTime scalar serializes as it does dates): what every instance
 * receives, so in-process and Redis delivery resolve the same value.
 */
export type Wire<Row> = { [K in keyof Row]: Row[K] extends Date ? string : Row[K] };

export type AcquisitionRow = Wire<typeof acquisitions.$inferSelect>;
export type CompanyRow = Wire<typeof companies.$inferSelect>;

/** An acquisition was written; `row` is null after a delete. Parties and status drive the filters. */
export interface AcquisitionChange {
  type: 'acquisition';
  kind: ChangeKind;
  id: number;
  acquirerId: number;
  targetId: number;
  status: AcquisitionRow['status'];
  /** An update that moved the deal to other companies: the ones it left, who hear of it too. */
  formerParties?: number[];
  row: AcquisitionRow | null;
  /** When the write committed (ISO 8601). */
  at: string;
}

/** A company was written; `row` is null after a delete. */
export interface CompanyChange {
  type: 'company';
  kind: ChangeKind;
  id: number;
  row: CompanyRow | null;
  at: string;
}

/**
 * A user's sessions or keys were revoked, or their role or account changed: every stream
 * of that user checks its credential again.
 */
export interface AccessChange {
  type: 'access';
  userId: number;
}

/** What travels on the event bus, between instances when REDIS_URL is set. */
export type LiveMessage = AcquisitionChange | CompanyChange | AccessChange;

/** A domain change a subscription can deliver. */
export type DomainChange = AcquisitionChange | CompanyChange;
