import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import { graphiqlAssetHosts, graphiqlInlineScriptHashes } from './graphiql.js';

/** Sets the headers on `res`; helmet's middlewares do so synchronously, before the handler writes. */
export type SecurityHeaders = (req: IncomingMessage, res: ServerResponse) => void;

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

function graphiqlPolicy() {
  const { code, favicon } = graphiqlAssetHosts;
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", code, ...graphiqlInlineScriptHashes()],
    // The editor (Monaco) inserts <style> elements and style attributes at run time.
    styleSrc: ["'self'", code, "'unsafe-inline'"],
    fontSrc: ["'self'", code, 'data:'],
    imgSrc: ["'self'", 'data:', favicon],
    // /graphql itself, and the worker bundles the page fetches before starting them from blobs.
    connectSrc: ["'self'", code],
    workerSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
  };
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
  const common: HelmetOptions = {
    strictTransportSecurity: isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  };
  const api = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: apiPolicy } });
  const page = graphiql
    ? helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: graphiqlPolicy() } })
    : api;
  const done = () => undefined;
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    (req.method === 'GET' && path === graphqlEndpoint ? page : api)(req, res, done);
  };
}
