import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { createSecurityHeaders, helmetOptions } from '../../src/http/security-headers.js';

function request(method: string, url: string): ServerResponse {
  const req = new IncomingMessage(new Socket());
  req.method = method;
  req.url = url;
  return new ServerResponse(req);
}

/** The headers on a response, in the order they were set. */
const headersOf = (res: ServerResponse) => Object.entries(res.getHeaders());

/**
 * The precomputed headers must be exactly what running helmet on each response
 * would set, for every policy: a header helmet adds in a later version, or a
 * policy change, shows up here rather than silently missing from responses.
 */
describe('security headers', () => {
  it.each([
    { isProduction: true, graphiql: true, method: 'GET', url: '/graphql?x=1', policy: 'page' as const },
    { isProduction: true, graphiql: true, method: 'POST', url: '/graphql', policy: 'api' as const },
    { isProduction: true, graphiql: true, method: 'GET', url: '/health/live', policy: 'api' as const },
    { isProduction: false, graphiql: true, method: 'GET', url: '/graphql', policy: 'page' as const },
    { isProduction: true, graphiql: false, method: 'GET', url: '/graphql', policy: 'api' as const },
    { isProduction: false, graphiql: false, method: 'GET', url: '/schema.graphql', policy: 'api' as const },
  ])(
    'are helmet’s own for $method $url (production $isProduction, GraphiQL $graphiql)',
    ({ isProduction, graphiql, method, url, policy }) => {
      const ours = request(method, url);
      createSecurityHeaders({ isProduction, graphiql, graphqlEndpoint: '/graphql' })(ours.req, ours);

      const options = helmetOptions({ isProduction, graphiql });
      const helmets = request(method, url);
      helmet(options[policy] ?? options.api)(helmets.req, helmets, () => undefined);

      expect(headersOf(helmets).length).toBeGreaterThanOrEqual(10);
      expect(headersOf(ours)).toEqual(headersOf(helmets));
    },
  );

  it('are offered as one flat list for handlers that write their head at once (health)', () => {
    const headers = createSecurityHeaders({
      isProduction: true,
      graphiql: true,
      graphqlEndpoint: '/graphql',
    });
    const set = request('GET', '/health/live');
    headers(set.req, set);
    const flat = [...headers.api];
    const pairs = Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);
    expect(pairs).toEqual(headersOf(set));
  });

  it('are set afresh on each response, not shared between them', () => {
    const headers = createSecurityHeaders({
      isProduction: true,
      graphiql: false,
      graphqlEndpoint: '/graphql',
    });
    const first = request('GET', '/health');
    headers(first.req, first);
    first.removeHeader('x-frame-options');
    const second = request('GET', '/health');
    headers(second.req, second);
    expect(second.getHeader('x-frame-options')).toBe('DENY');
  });
});
