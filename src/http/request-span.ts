import type { RequestListener } from 'node:http';
import {
  context,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type TextMapPropagator,
  type Tracer,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import { GRAPHIQL_ASSETS_PREFIX } from './graphiql-assets.js';

const knownMethods = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

/** The route a path belongs to, as the server routes it; undefined for paths it does not serve. */
function routeOf(path: string): string | undefined {
  if (path === '/graphql' || path === '/schema.graphql') return path;
  if (path.startsWith(GRAPHIQL_ASSETS_PREFIX)) return `${GRAPHIQL_ASSETS_PREFIX}*`;
  return undefined;
}

/** Polled by monitors and scrapers every few seconds: traces of them would bury the requests. */
const untraced = (path: string) => path.startsWith('/health') || path === '/metrics';

/**
 * Runs each request inside a SERVER span named and described by OpenTelemetry's HTTP
 * semantic conventions, ended when the response is done.
 *
 * Made here rather than by @opentelemetry/instrumentation-http, which patches node:http
 * through require/import hooks and so must be preloaded (`node --import`) before the
 * server module loads: that would tie tracing to how the process is started, leave the
 * in-process test apps untraced, and patch every outgoing request too (the OTLP exporter's
 * own included). One span per request with the same attributes needs none of it.
 *
 * The path only, never the query string: a GET operation carries its variables there.
 */
export function tracedRequests(tracer: Tracer, propagator: TextMapPropagator) {
  return (handle: RequestListener): RequestListener =>
    (req, res) => {
      const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
      if (untraced(path)) return handle(req, res);
      const method = (req.method ?? 'GET').toUpperCase();
      const known = knownMethods.has(method);
      const route = routeOf(path);
      const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
      const span = tracer.startSpan(
        route ? `${known ? method : 'HTTP'} ${route}` : known ? method : 'HTTP',
        {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: known ? method : '_OTHER',
            ...(known ? {} : { [ATTR_HTTP_REQUEST_METHOD_ORIGINAL]: req.method }),
            [ATTR_URL_PATH]: path,
            [ATTR_URL_SCHEME]: 'http',
            [ATTR_NETWORK_PROTOCOL_VERSION]: req.httpVersion,
            [ATTR_SERVER_PORT]: req.socket.localPort,
            ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}),
            ...(req.headers['user-agent'] ? { [ATTR_USER_AGENT_ORIGINAL]: req.headers['user-agent'] } : {}),
          },
        },
        parent,
      );
      res.once('close', () => {
        // Not sent: the client went away before an answer was begun.
        if (!res.headersSent) {
          span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
          return span.end();
        }
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
        // A server span fails on 5xx only; 4xx answers are the client's error.
        if (res.statusCode >= 500) {
          span.setAttribute(ATTR_ERROR_TYPE, String(res.statusCode));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      });
      const active = trace.setSpan(parent, span);
      // The body's 'data' and 'end' events are emitted by the socket's reads, not by this
      // call: bound, their listeners (and Yoga, started from the last) run inside the span
      // whichever async resource emits them.
      context.bind(active, req);
      context.with(active, () => handle(req, res));
    };
}
