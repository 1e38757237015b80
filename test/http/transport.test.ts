import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * Transport protection as production runs it: security headers on every response,
 * CSRF prevention, CORS from an allow-list, GraphiQL under its CSP, body size and
 * batching limits, no field suggestions.
 */
const allowedOrigin = 'https://app.example.com';
const MAX_BODY_BYTES = 4096;

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({
    NODE_ENV: 'production',
    GRAPHIQL: 'true',
    CORS_ORIGINS: `${allowedOrigin}, https://admin.example.com`,
    GRAPHQL_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
  });
});

afterAll(async () => {
  await t?.close();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

type Policy = Map<string, string[]>;

function parsePolicy(header: string | null): Policy {
  const policy: Policy = new Map();
  for (const directive of (header ?? '').split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name) policy.set(name, sources);
  }
  return policy;
}

describe('security headers', () => {
  it.each([
    ['POST /graphql', () => post('{"query":"{ __typename }"}')],
    ['GET /health', () => fetch(`${t.url}/health`)],
    ['GET /health/live', () => fetch(`${t.url}/health/live`)],
    ['GET /schema.graphql', () => fetch(`${t.url}/schema.graphql`)],
    ['GET /nowhere', () => fetch(`${t.url}/nowhere`)],
  ])('are on %s', async (_route, request) => {
    const { headers } = await request();
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    expect(headers.get('x-powered-by')).toBeNull();
    const policy = parsePolicy(headers.get('content-security-policy'));
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('GraphiQL under its Content-Security-Policy', () => {
  let html: string;
  let policy: Policy;

  beforeAll(async () => {
    const response = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    html = await response.text();
    policy = parsePolicy(response.headers.get('content-security-policy'));
  });

  it('loads its scripts, stylesheet and icon from this origin, and runs no inline script', () => {
    const urls = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]*)"/g)].map(([, url]) => url);
    expect(urls).toHaveLength(4);
    for (const url of urls) expect(url).toMatch(/^\/graphiql\/[\w.-]+$/);
    // The one <script> without src is the options as JSON: data, which no policy runs.
    const inline = [...html.matchAll(/<script\b([^>]*)>/g)]
      .map(([, attributes = '']) => attributes.trim())
      .filter((attributes) => !attributes.includes('src='));
    expect(inline).toEqual(['type="application/json" id="graphiql-options"']);
  });

  it('allows this origin alone: no inline or eval scripts, no blob: workers, no other host', () => {
    expect(Object.fromEntries(policy)).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      // The editor (Monaco) sets style attributes and writes <style> elements as it runs.
      'style-src': ["'self'", "'unsafe-inline'"],
      'font-src': ['data:'],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'worker-src': ["'self'"],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
    });
  });
});

describe('CSRF prevention', () => {
  it('refuses a GET query without a CSRF header (a link or <img> could send it cross-site)', async () => {
    const response = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(403);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('FORBIDDEN');
  });

  it('serves a GET query that carries x-graphql-csrf', async () => {
    const response = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'x-graphql-csrf': '1' },
    });
    expect(response.status).toBe(200);
  });

  it('refuses a form-encoded POST without the header (a cross-site <form> could send it)', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent('mutation { signOut }')}`,
    });
    expect(response.status).toBe(403);
  });

  it('serves JSON POSTs as they are (browsers preflight them)', async () => {
    expect((await post('{"query":"{ __typename }"}')).status).toBe(200);
  });

  it.each([
    ['form-encoded', () => new URLSearchParams({ query: '{ __typename }' })],
    [
      'multipart',
      () => {
        const form = new FormData();
        form.set('operations', JSON.stringify({ query: '{ __typename }' }));
        form.set('map', '{}');
        return form;
      },
    ],
  ])('serves a %s POST that carries x-graphql-csrf', async (_kind, body) => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'x-graphql-csrf': '1' },
      body: body(),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(`${t.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });

  it('answers a preflight from an allowed origin, with credentials', async () => {
    const response = await preflight(allowedOrigin);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it.each(['https://evil.example', 'null', 'https://app.example.com.evil.example'])(
    'gives no CORS grant to %s',
    async (origin) => {
      const response = await preflight(origin);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    },
  );

  it('lets an allowed origin read the response, its request id and Retry-After', async () => {
    const response = await post('{"query":"{ __typename }"}', { origin: allowedOrigin });
    expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(response.headers.get('access-control-expose-headers')).toMatch(/x-request-id.*retry-after/i);
  });
});

describe('request limits', () => {
  it('refuses a body over GRAPHQL_MAX_BODY_BYTES with 413, unread', async () => {
    const query = `{ __typename ${' '.repeat(MAX_BODY_BYTES)} }`;
    const response = await post(JSON.stringify({ query }));
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a body without Content-Length (chunked) with 411', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob(['{"query":"{ __typename }"}']).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(411);
  });

  it('serves a body just under GRAPHQL_MAX_BODY_BYTES', async () => {
    const body = JSON.stringify({ query: `{ __typename ${' '.repeat(MAX_BODY_BYTES - 64)} }` });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('keeps serving after a client hangs up halfway through its body', async () => {
    const { hostname, port } = new URL(t.url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100\r\n\r\n{"query":',
    );
    socket.destroy();
    await once(socket, 'close');
    expect((await post('{"query":"{ __typename }"}')).status).toBe(200);
  });

  it('refuses batched requests (one operation per request)', async () => {
    const response = await post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]));
    expect(response.status).toBeGreaterThanOrEqual(400);
    const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['an enum literal', '{ companies(orderBy: { field: NAM, direction: ASC }) { totalCount } }', undefined],
    [
      'an enum value in a variable',
      'query($o: CompanyOrder) { companies(orderBy: $o) { totalCount } }',
      { o: { field: 'NAM', direction: 'ASC' } },
    ],
    [
      'an input field in a variable',
      'query($o: CompanyOrder) { companies(orderBy: $o) { totalCount } }',
      { o: { feld: 'NAME', field: 'NAME', direction: 'ASC' } },
    ],
    [
      'an input field in a literal',
      '{ companies(orderBy: { feld: NAME, direction: ASC }) { totalCount } }',
      undefined,
    ],
    ['an argument name', '{ companies(frist: 1) { totalCount } }', undefined],
    ['a type name', 'query($o: CompanyOrdr) { companies(orderBy: $o) { totalCount } }', undefined],
    ['a field of an interface', '{ node(id: "x") { name } }', undefined],
  ])('gives no schema hints in production: %s', async (_what, query, variables) => {
    const { body } = await t.gql(query, variables);
    expect(body.errors?.length).toBeGreaterThan(0);
    for (const error of body.errors ?? []) {
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).not.toMatch(/Did you mean|mean/i);
    }
  });

  it('hides field suggestions in production, also when the validation comes from the cache', async () => {
    for (let i = 0; i < 2; i++) {
      const { body } = await t.gql('{ companie { totalCount } }');
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toMatch(/Cannot query field "companie"/);
      expect(body.errors?.[0]?.message).not.toMatch(/Did you mean/);
    }
  });
});
