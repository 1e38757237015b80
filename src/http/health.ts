import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DatabaseHandle } from '../db/client.js';

export interface HealthDeps {
  database: Pick<DatabaseHandle, 'ping'>;
  dbTimeoutMs: number;
  version: string;
  /** False once shutdown has begun, so load balancers stop sending traffic. */
  isAcceptingTraffic: () => boolean;
  /** The reason stays in the log; the public response says only "error". */
  onDatabaseError: (error: unknown) => void;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  res.end(payload);
}

/** Answers /health, /health/live and /health/ready; returns false for any other path. */
export function handleHealth(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: HealthDeps,
): boolean {
  if (path === '/health/live') {
    send(res, 200, { status: 'ok' });
    return true;
  }
  if (path !== '/health' && path !== '/health/ready') return false;

  const started = performance.now();
  deps.database.ping(deps.dbTimeoutMs).then(
    () => report('ok'),
    (error: unknown) => {
      deps.onDatabaseError(error);
      report('error');
    },
  );

  function report(database: 'ok' | 'error'): void {
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    const healthy = database === 'ok' && (path === '/health' || deps.isAcceptingTraffic());
    send(res, healthy ? 200 : 503, {
      status: healthy ? 'ok' : 'degraded',
      timestamp: new Date().toISOString(),
      uptime: Math.round(process.uptime() * 1000) / 1000,
      version: deps.version,
      checks: { database: { status: database, latencyMs } },
    });
  }
  return true;
}
