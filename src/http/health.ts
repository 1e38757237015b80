import type { IncomingMessage, ServerResponse } from 'node:http';
import { refusesWrites, type Unavailability } from '../db/availability.js';
import type { DatabaseHandle } from '../db/client.js';
import type { SecurityHeaders } from './security-headers.js';

export interface HealthDeps {
  database: Pick<DatabaseHandle, 'ping'>;
  dbTimeoutMs: number;
  /** True while the database is known to have refused a write lately (disk full, read-only). */
  writesRefused: () => boolean;
  /** Checked when the rate limits count in Redis; resolves when it answers. */
  redis?: { ping(timeoutMs: number): Promise<void> };
  version: string;
  /** False once shutdown has begun, so load balancers stop sending traffic. */
  isAcceptingTraffic: () => boolean;
  /** The reason stays in the log; the public response says only "error". */
  onDatabaseError: (error: unknown) => void;
  onRedisError: (error: unknown) => void;
  /** The security headers every response carries, as a flat [name, value, …] list. */
  securityHeaders: SecurityHeaders['api'];
}

/**
 * Remembers for `forMs` that the database refused a write: nothing else tells a database
 * that is out of disk from a healthy one, as reads still work. Fed with every outage a
 * request meets (src/http/plugins/error-masking.ts).
 */
export function writeRefusals(forMs = 60_000, clock: () => number = Date.now) {
  let refusedAt = -Infinity;
  return {
    note: (reason: Unavailability) => {
      if (refusesWrites(reason)) refusedAt = clock();
    },
    recent: () => clock() - refusedAt < forMs,
  };
}

type DatabaseStatus = 'ok' | 'error' | 'refusing-writes';

export type HealthHandler = (req: IncomingMessage, res: ServerResponse, path: string) => boolean;

/** The whole head in one writeHead call: node then formats it once, with no per-header bookkeeping. */
function headFor(deps: HealthDeps, payload: string) {
  return [
    ...deps.securityHeaders,
    'content-type',
    'application/json; charset=utf-8',
    'content-length',
    Buffer.byteLength(payload),
    'cache-control',
    'no-store',
  ];
}

/**
 * Answers /health, /health/live and /health/ready; returns false for any other path.
 * Liveness is polled often (orchestrators, load balancers), so its answer is prepared once.
 */
export function createHealthHandler(deps: HealthDeps): HealthHandler {
  const livePayload = JSON.stringify({ status: 'ok' });
  const liveHead = headFor(deps, livePayload);
  const send = (res: ServerResponse, status: number, body: unknown) => {
    const payload = JSON.stringify(body);
    res.writeHead(status, headFor(deps, payload));
    res.end(payload);
  };

  return (req, res, path) => {
    if (path === '/health/live') {
      res.writeHead(200, liveHead);
      res.end(livePayload);
      return true;
    }
    return path === '/health' || path === '/health/ready' ? report(res, path) : false;
  };

  /**
   * /health and /health/ready: a round trip to the database (and Redis), then the report.
   * Anything not ok makes /health degraded (503). Readiness (/health/ready) drops only for
   * what this instance cannot serve around — an unreachable database, or shutdown: with
   * writes refused, reads are still served, and without Redis the limits apply their
   * failure mode; every instance shares those, so taking them all out of rotation would
   * turn a partial outage into a whole one.
   */
  function report(res: ServerResponse, path: string): true {
    const started = performance.now();
    const latency = () => Math.round((performance.now() - started) * 100) / 100;
    const database = deps.database.ping(deps.dbTimeoutMs).then(
      ({ readOnly }): { status: DatabaseStatus; latencyMs: number } => ({
        status: readOnly || deps.writesRefused() ? 'refusing-writes' : 'ok',
        latencyMs: latency(),
      }),
      (error: unknown) => {
        deps.onDatabaseError(error);
        return { status: 'error' as DatabaseStatus, latencyMs: latency() };
      },
    );
    const redis = deps.redis?.ping(deps.dbTimeoutMs).then(
      () => ({ status: 'ok' as const }),
      (error: unknown) => {
        deps.onRedisError(error);
        return { status: 'error' as const };
      },
    );
    void Promise.all([database, redis]).then(([databaseCheck, redisCheck]) => {
      const healthy = databaseCheck.status === 'ok' && (redisCheck?.status ?? 'ok') === 'ok';
      const ready = databaseCheck.status !== 'error' && deps.isAcceptingTraffic();
      const ok = path === '/health' ? healthy : ready;
      send(res, ok ? 200 : 503, {
        status: ok ? 'ok' : 'degraded',
        timestamp: new Date().toISOString(),
        uptime: Math.round(process.uptime() * 1000) / 1000,
        version: deps.version,
        checks: { database: databaseCheck, ...(redisCheck ? { redis: redisCheck } : {}) },
      });
    });
    return true;
  }
}
