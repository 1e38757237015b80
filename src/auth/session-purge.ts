import { inArray, lt, or } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { sessions } from '../db/schema.js';
import type { Logger } from '../logger.js';

/** Rows per statement: a backlog of millions is deleted in steps, each well within the statement timeout. */
const batchSize = 5000;

/**
 * Deletes sessions that can never be valid again — past their end, idle past
 * `idleTtlMs`, or revoked — once they are older than `retentionMs` in that state (kept
 * that long for whoever looks into a sign-in). Returns how many went.
 */
export async function purgeStaleSessions(
  db: Database,
  retentionMs: number,
  idleTtlMs: number,
  now = Date.now(),
): Promise<number> {
  const cutoff = new Date(now - retentionMs);
  const idleCutoff = new Date(now - retentionMs - idleTtlMs);
  let purged = 0;
  for (;;) {
    const stale = db
      .select({ id: sessions.id })
      .from(sessions)
      // Each branch has its index (src/db/schema.ts), so a batch never scans the table.
      .where(
        or(
          lt(sessions.expiresAt, cutoff),
          lt(sessions.lastUsedAt, idleCutoff),
          lt(sessions.revokedAt, cutoff),
        ),
      )
      .limit(batchSize);
    const deleted = await db
      .delete(sessions)
      .where(inArray(sessions.id, stale))
      .returning({ id: sessions.id });
    purged += deleted.length;
    if (deleted.length < batchSize) return purged;
  }
}

export interface SessionPurgeOptions {
  db: Database;
  logger: Logger;
  intervalMs: number;
  retentionMs: number;
  /** SESSION_IDLE_TTL: a session unused this long is dead. */
  idleTtlMs: number;
}

/**
 * Purges stale sessions every `intervalMs`, in the background: the timer does not keep
 * the process alive, and a failed run (the database away) is logged and retried next time.
 * Every instance runs it; deleting what another already deleted costs nothing.
 */
export function scheduleSessionPurge({
  db,
  logger,
  intervalMs,
  retentionMs,
  idleTtlMs,
}: SessionPurgeOptions): {
  stop(): void;
} {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    purgeStaleSessions(db, retentionMs, idleTtlMs)
      .then(
        (purged) => {
          if (purged > 0) logger.info({ purged }, 'sessions: expired and revoked sessions purged');
        },
        (err: unknown) => logger.warn({ err }, 'sessions: purge failed; retrying at the next interval'),
      )
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
