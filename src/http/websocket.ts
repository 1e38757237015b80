import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST, GraphQLError, type ExecutionArgs, type FormattedExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Context } from '../graphql/context.js';
import { markTransport } from '../graphql/events/live-events.js';
import { badUserInput } from '../graphql/errors.js';
import type { ResultMasking } from './plugins/error-masking.js';
import { recordClientIp, resolveClientIp } from './plugins/client-ip.js';
import type { Yoga } from './yoga.js';

export interface GraphQLWebSocketOptions {
  server: Server;
  yoga: Yoga;
  /** TRUST_PROXY: hops of X-Forwarded-For believed for the client address. */
  trustProxyHops: number;
  /** CORS_ORIGINS: browser origins besides the service's own that may open a socket. */
  corsOrigins: readonly string[];
  /** Largest message accepted (GRAPHQL_MAX_BODY_BYTES). */
  maxPayloadBytes: number;
  /** The error masking of the HTTP path: Yoga's result hooks do not run here. */
  masking: ResultMasking;
  /** WebSocket pings on an idle socket, so proxies do not cut it. */
  keepAliveMs?: number;
  /**
   * Open sockets per client address. A socket carries any number of subscriptions (each
   * counted against the viewer's cap), but an idle one costs memory all the same.
   */
  maxSocketsPerClient: number;
}

export interface GraphQLWebSocket {
  /** Closes every socket (1001, going away) once its streams completed; cut after `timeoutMs`. */
  close(timeoutMs: number): Promise<void>;
}

/** What a browser cannot send on a WebSocket as a header travels in graphql-ws's connection params. */
const credentialParams = ['authorization', 'x-api-key'];
/** The upgrade's headers that the GraphQL plugins read. */
const forwardedHeaders = [
  'cookie',
  'authorization',
  'x-api-key',
  'x-forwarded-for',
  'user-agent',
  'x-request-id',
];

/**
 * The upgrade request as the plugins expect one (a fetch Request): its headers, with the
 * credential from the connection params winning, as an explicit header wins over a cookie.
 */
function requestOf(req: IncomingMessage, connectionParams: Readonly<Record<string, unknown>> | undefined) {
  const headers = new Headers();
  for (const name of forwardedHeaders) {
    const value = req.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  for (const name of credentialParams) {
    const value = connectionParams?.[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  return new Request(new URL(req.url ?? '/graphql', 'http://localhost'), { headers });
}

/**
 * A browser sends its cookies with any WebSocket it opens, from any page: a socket from an
 * origin that may not call the API with credentials (not this host, not in CORS_ORIGINS) is
 * refused, or another site could read a signed-in user's events (cross-site WebSocket hijacking).
 */
function originAllowed(req: IncomingMessage, corsOrigins: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser
  if (corsOrigins.has(origin)) return true;
  return URL.canParse(origin) && new URL(origin).host === req.headers.host;
}

const headerValue = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join(', ') : (value ?? null);

function refuseUpgrade(socket: Duplex, status: string) {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * GraphQL over WebSocket (the graphql-ws protocol, `graphql-transport-ws`) on Yoga's
 * endpoint, for subscriptions: queries and mutations go over HTTP, where every guard of the
 * request pipeline applies. Each subscription runs through Yoga's envelop (parse and
 * validation limits, viewer, rate limits, caps) with the upgrade request's headers.
 */
export function attachGraphQLWebSocket({
  server,
  yoga,
  trustProxyHops,
  corsOrigins,
  maxPayloadBytes,
  masking,
  keepAliveMs,
  maxSocketsPerClient,
}: GraphQLWebSocketOptions): GraphQLWebSocket {
  const allowedOrigins = new Set(corsOrigins);
  const socketsPerClient = new Map<string, number>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxPayloadBytes });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== yoga.graphqlEndpoint) return refuseUpgrade(socket, '404 Not Found');
    if (!originAllowed(req, allowedOrigins)) return refuseUpgrade(socket, '403 Forbidden');
    const client = resolveClientIp(
      req.socket.remoteAddress ?? 'unknown',
      headerValue(req.headers['x-forwarded-for']),
      trustProxyHops,
    );
    const open = socketsPerClient.get(client) ?? 0;
    if (open >= maxSocketsPerClient) return refuseUpgrade(socket, '429 Too Many Requests');
    socketsPerClient.set(client, open + 1);
    const release = () => {
      const left = (socketsPerClient.get(client) ?? 1) - 1;
      if (left > 0) socketsPerClient.set(client, left);
      else socketsPerClient.delete(client);
    };
    // The raw socket's close: also when the handshake itself fails.
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const maskErrors = (errors: readonly GraphQLError[], requestId: string) =>
    (masking({ errors }, () => ({ requestId })).errors ?? []).map((error) => error.toJSON());

  useServer<Record<string, unknown>>(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const request = requestOf(ctx.extra.request, ctx.connectionParams);
        recordClientIp(request, ctx.extra.request, trustProxyHops);
        markTransport(request, 'websocket');
        const enveloped = yoga.getEnveloped({ request, params: payload });
        try {
          const document = enveloped.parse(payload.query);
          const errors = enveloped.validate(enveloped.schema, document);
          if (errors.length > 0) return errors;
          if (getOperationAST(document, payload.operationName)?.operation !== 'subscription') {
            return [
              badUserInput(
                [{ field: 'query', message: 'must be a subscription' }],
                'Only subscriptions run over WebSocket: send queries and mutations over HTTP',
              ),
            ];
          }
          const args: ExecutionArgs = {
            schema: enveloped.schema,
            document,
            operationName: payload.operationName,
            variableValues: payload.variables,
            contextValue: await enveloped.contextFactory(),
            rootValue: enveloped,
          };
          return args;
        } catch (error) {
          // A document that does not parse, or a credential that does not check out.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      },
      onNext: (_ctx, _id, _payload, args, result) =>
        masking(result, () => ({
          requestId: (args.contextValue as Context).requestId,
        })) as FormattedExecutionResult,
      onError: (_ctx, _id, _payload, errors) => maskErrors(errors, 'websocket'),
    },
    wss,
    keepAliveMs,
  );

  return {
    async close(timeoutMs) {
      // Streams ended just before (LiveEvents.close) send their Complete on later microtasks.
      await new Promise((resolve) => setImmediate(resolve));
      const closed = [...wss.clients].map(
        (ws: WebSocket) =>
          new Promise<void>((resolve) => {
            ws.once('close', () => resolve());
            ws.close(1001, 'The server is shutting down');
          }),
      );
      const deadline = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, timeoutMs);
      await Promise.all(closed);
      clearTimeout(deadline);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

type Enveloped = ReturnType<Yoga['getEnveloped']>;
