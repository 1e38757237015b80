import { createServer, type RequestListener, type Server } from 'node:http';
import { printSdl } from './graphql/print.js';
import { schema } from './graphql/schema.js';
import { readBoundedBody } from './http/body-limit.js';
import { createHealthHandler, type HealthDeps } from './http/health.js';
import type { Metrics } from './http/metrics.js';
import { createSdlHandler } from './http/sdl.js';
import { SecureServerResponse } from './http/secure-response.js';
import type { SecurityHeaders } from './http/security-headers.js';
import { GRAPHIQL_ASSETS_PREFIX } from './http/graphiql-assets.js';
import type { StaticAssetHandler } from './http/static-assets.js';
import type { Yoga } from './http/yoga.js';

export interface ServerDeps {
  /** Everything health checks need but the security headers, which come from `securityHeaders`. */
  health: Omit<HealthDeps, 'securityHeaders'>;
  yoga: Yoga;
  /** Serves /metrics on this server; absent when METRICS is off or METRICS_PORT moves it. */
  metrics?: Metrics;
  /** helmet's headers, set on every response before it is routed. */
  securityHeaders: SecurityHeaders;
  /** Larger GraphQL request bodies are refused (413) unread; smaller ones are read before Yoga runs. */
  maxBodyBytes: number;
  /** Serves GraphiQL's files under /graphiql/; absent when GRAPHIQL is off. */
  graphiqlFiles?: StaticAssetHandler;
  /** Wraps the handler to run requests in spans (src/http/request-span.ts); absent when tracing is off. */
  traced?: (handle: RequestListener) => RequestListener;
}

/** node:http server: health checks answered directly, everything else through Yoga. */
export function createHttpServer({
  health,
  yoga,
  metrics,
  securityHeaders,
  maxBodyBytes,
  graphiqlFiles,
  traced,
}: ServerDeps): Server {
  // Printed once per start: the schema is fixed for the life of the process.
  const sdl = createSdlHandler(printSdl(schema));
  const handleHealth = createHealthHandler({ ...health, securityHeaders: securityHeaders.api });
  const handle: RequestListener = (req, res) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    // Health answers write the security headers within their single writeHead.
    if (path.startsWith('/health') && handleHealth(req, res, path)) return;
    securityHeaders(req, res);
    if (path === '/schema.graphql') return sdl(req, res);
    if (path === '/metrics' && metrics) return metrics.handle(req, res);
    if (graphiqlFiles && path.startsWith(GRAPHIQL_ASSETS_PREFIX)) return graphiqlFiles(req, res, path);
    readBoundedBody(req, res, maxBodyBytes, (request) => void yoga(request, res));
  };
  return createServer({ ServerResponse: SecureServerResponse }, traced ? traced(handle) : handle);
}
