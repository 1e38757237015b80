import type { Query } from 'drizzle-orm';
import type { Database } from './client.js';

/**
 * Runs a statement already rendered the way Drizzle renders one ($1…$n and its parameter
 * values), through the same session `db.execute` uses — driver, logger and all — without
 * rendering it again. For statements whose text is written once and kept (compiled reads).
 */
export function executeRendered(db: Database, query: Query): Promise<unknown> {
  return db._.session.prepareQuery(query, 'raw', false).execute();
}
