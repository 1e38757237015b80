import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { DatabaseHandle } from '../db/client.js';
import type { SecurityHeaders } from './security-headers.js';

export interface MetricsDeps {
  database: Pick<DatabaseHandle, 'poolStats'>;
  /** DB_POOL_MAX, reported beside the pool figures so saturation is one division away. */
  poolMax: number;
  /** When set, /metrics answers 401 unless the request carries `Authorization: Bearer <token>`. */
  token?: string;
}

export interface Metrics {
  /** This app's own registry: the GraphQL plugin (plugins/metrics.ts) registers its metrics here. */
  registry: Registry;
  /** Answers GET /metrics in Prometheus text format. */
  handle(req: IncomingMessage, res: ServerResponse): void;
}

let processRegistry: Registry | undefined;

/**
 * CPU, memory, event-loop and GC figures belong to the process, not to an app, and
 * prom-client's collectors install observers that are never removed: collect them once per
 * process (tests run several apps in one) and merge them into each scrape.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** A registry per app (with the database pool gauges) and the /metrics handler that serves it. */
export function createMetrics({ database, poolMax, token }: MetricsDeps): Metrics {
  const registry = new Registry();

  // PGlite has one connection and no pool: no pool series rather than misleading zeros.
  if (database.poolStats()) {
    const stats = () => database.poolStats() ?? { total: 0, idle: 0, waiting: 0 };
    new Gauge({
      name: 'acquisitions_db_pool_connections',
      help: 'Database pool connections by state (in_use: checked out by a query, idle: open and free)',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const { total, idle } = stats();
        this.set({ state: 'in_use' }, total - idle);
        this.set({ state: 'idle' }, idle);
      },
    });
    new Gauge({
      name: 'acquisitions_db_pool_waiting_requests',
      help: 'Queries waiting for a free pool connection',
      registers: [registry],
      collect() {
        this.set(stats().waiting);
      },
    });
    new Gauge({
      name: 'acquisitions_db_pool_max_connections',
      help: 'Pool size limit (DB_POOL_MAX)',
      registers: [registry],
    }).set(poolMax);
  }

  const expected = token === undefined ? undefined : digest(token);
  const authorized = (req: IncomingMessage): boolean => {
    if (!expected) return true;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    // Comparing fixed-length digests keeps the comparison constant-time whatever was sent.
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
  };

  return {
    registry,
    handle(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
        return;
      }
      if (!authorized(req)) {
        send(res, 401, 'unauthorized\n', { 'www-authenticate': 'Bearer realm="metrics"' });
        return;
      }
      const scrape = Registry.merge([registry, processMetrics()]);
      scrape.metrics().then(
        (body) => send(res, 200, body, { 'content-type': scrape.contentType }),
        () => send(res, 500, 'metrics unavailable\n'),
      );
    },
  };
}

/** METRICS_PORT: a listener that serves /metrics and nothing else, for a port kept off the public network. */
export function createMetricsServer(metrics: Metrics, securityHeaders: SecurityHeaders): Server {
  return createServer((req, res) => {
    securityHeaders(req, res);
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === '/metrics') metrics.handle(req, res);
    else send(res, 404, 'not found\n');
  });
}
