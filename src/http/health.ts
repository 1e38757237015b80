import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DatabaseHandle } from '../db/client.js';
import type { SecurityHeaders } from './security-headers.js';

export interface HealthDeps {
  database: Pick<DatabaseHandle, 'ping'>;
  dbTimeoutMs: number;
  version: string;
  /** False once shutdown has begun, so load balancers stop sending traffic. */
  isAcceptingTraffic: () => boolean;
  /** The reason stays in the log; the public response says only "error". */
  onDatabaseError: (error: unknown) => void;
  /** The security headers every response carries, as a flat [name, value, …] list. */
  securityHeaders: SecurityHeaders['api'];
}

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

  /** /health and /health/ready: a database round trip, then the report. */
  function report(res: ServerResponse, path: string): true {
    const started = performance.now();
    const answer = (database: 'ok' | 'error') => {
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      const healthy = database === 'ok' && (path === '/health' || deps.isAcceptingTraffic());
      send(res, healthy ? 200 : 503, {
        status: healthy ? 'ok' : 'degraded',
        timestamp: new Date().toISOString(),
        uptime: Math.round(process.uptime() * 1000) / 1000,
        version: deps.version,
        checks: { database: { status: database, latencyMs } },
      });
    };
    deps.database.ping(deps.dbTimeoutMs).then(
      () => answer('ok'),
      (error: unknown) => {
        deps.onDatabaseError(error);
        answer('error');
      },
    );
    return true;
  }
}
