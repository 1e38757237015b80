import { IncomingMessage, ServerResponse, type OutgoingHttpHeader } from 'node:http';
import { Socket } from 'node:net';
import helmet, { type HelmetOptions } from 'helmet';
import { SecureServerResponse } from './secure-response.js';

type HeaderValue = OutgoingHttpHeader;

export interface SecurityHeaders {
  /**
   * Gives `res` the headers helmet's middlewares would set, before the handler writes: a
   * SecureServerResponse sends them with its head, any other response gets them set now.
   */
  (req: IncomingMessage, res: ServerResponse): void;
  /**
   * The API policy's headers as a flat `[name, value, …]` list, for a handler that writes
   * its whole head in one `writeHead` call (node's fastest path: no per-header setHeader).
   */
  readonly api: readonly HeaderValue[];
}

export interface SecurityHeadersOptions {
  /** HSTS only in production: on a laptop it would pin localhost to HTTPS for a year. */
  isProduction: boolean;
  /** Whether GET /graphql may serve GraphiQL (its page needs a wider policy). */
  graphiql: boolean;
  graphqlEndpoint: string;
}

/** Nothing a JSON or text response needs: it must not load, frame or submit anything. */
const apiPolicy = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

/**
 * GraphiQL's page: its files come from this origin only (src/http/graphiql-assets.ts), with no
 * inline script, no eval, no CDN and no blob: workers.
 */
const graphiqlPolicy = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  fontSrc: ['data:'],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

/** The HelmetOptions behind each policy; exported so a test can compare with helmet's own output. */
export function helmetOptions({ isProduction, graphiql }: Omit<SecurityHeadersOptions, 'graphqlEndpoint'>) {
  const common: HelmetOptions = {
    strictTransportSecurity: isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  };
  return {
    api: { ...common, contentSecurityPolicy: { useDefaults: false, directives: apiPolicy } },
    page: graphiql
      ? { ...common, contentSecurityPolicy: { useDefaults: false, directives: graphiqlPolicy } }
      : undefined,
  } satisfies Record<string, HelmetOptions | undefined>;
}

type HeaderList = [name: string, value: HeaderValue][];

/**
 * What helmet sets, captured once by running it on a throwaway response: with static
 * directives its output never depends on the request, and setting a ready list
 * costs a third of running its dozen middlewares on every response (bench/README.md).
 */
function headersOf(options: HelmetOptions): HeaderList {
  const probe = new ServerResponse(new IncomingMessage(new Socket()));
  helmet(options)(probe.req, probe, () => undefined);
  return Object.entries(probe.getHeaders()).flatMap(([name, value]) =>
    value === undefined ? [] : [[name, value] as HeaderList[number]],
  );
}

/**
 * helmet's headers on every response the server writes (health, SDL, metrics, GraphQL):
 * nosniff, X-Frame-Options DENY plus frame-ancestors 'none', Referrer-Policy no-referrer,
 * the cross-origin policies, HSTS in production, and a Content-Security-Policy that
 * forbids everything — except on GET /graphql when GraphiQL is on, where it allows
 * exactly what Yoga's GraphiQL page loads.
 */
export function createSecurityHeaders({
  isProduction,
  graphiql,
  graphqlEndpoint,
}: SecurityHeadersOptions): SecurityHeaders {
  const options = helmetOptions({ isProduction, graphiql });
  const api = headersOf(options.api);
  const page = options.page ? headersOf(options.page) : api;
  const [apiList, pageList] = [api.flat(), page.flat()];
  const set = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    const isPage = req.method === 'GET' && path === graphqlEndpoint;
    // Sent with the response's own head (secure-response.ts); set one by one on any other response.
    if (res instanceof SecureServerResponse) res.securityHeaders = isPage ? pageList : apiList;
    else for (const [name, value] of isPage ? page : api) res.setHeader(name, value);
  };
  return Object.assign(set, { api: apiList });
}
