import { createServer, request, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SecureServerResponse } from '../../src/http/secure-response.js';
import { createSecurityHeaders } from '../../src/http/security-headers.js';

const securityHeaders = createSecurityHeaders({
  isProduction: true,
  graphiql: false,
  graphqlEndpoint: '/graphql',
});

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Serves `handler` behind the security headers, as src/server.ts does, and answers one GET. */
async function headOf(handler: RequestListener): Promise<IncomingMessage> {
  server = createServer({ ServerResponse: SecureServerResponse }, (req, res) => {
    securityHeaders(req, res);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path: '/graphql' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    })
      .on('error', reject)
      .end();
  });
}

/** Every header name as sent, in order, duplicates included. */
const namesOf = (res: IncomingMessage) =>
  res.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());

describe('SecureServerResponse', () => {
  it('sends every security header with a head written in one writeHead, and the handler’s own', async () => {
    const res = await headOf((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'content-length': 2 });
      res.end('{}');
    });
    for (let i = 0; i < securityHeaders.api.length; i += 2) {
      expect(res.headers[securityHeaders.api[i] as string]).toBe(String(securityHeaders.api[i + 1]));
    }
    expect(res.headers['content-type']).toBe('application/json');
    expect(new Set(namesOf(res)).size).toBe(namesOf(res).length);
  });

  it('sends them when the handler only calls end(), or passes a flat list and a status message', async () => {
    const implicit = await headOf((_req, res) => res.end('ok'));
    expect(implicit.headers['x-frame-options']).toBe('DENY');
    const flat = await headOf((_req, res) => {
      res.writeHead(201, 'Made', ['x-a', '1', 'x-b', ['2', '3']]);
      res.end();
    });
    expect(flat.statusCode).toBe(201);
    expect(flat.statusMessage).toBe('Made');
    expect(flat.headers['x-content-type-options']).toBe('nosniff');
    expect(flat.headers['x-b']).toBe('2, 3');
    const noReason = await headOf((_req, res) => {
      res.writeHead(200, undefined, { 'x-c': '4' });
      res.end();
    });
    expect(noReason.headers['x-c']).toBe('4');
    expect(noReason.headers['x-frame-options']).toBe('DENY');
  });

  it('lets a header the handler writes or set before win over the security header of that name, once', async () => {
    const written = await headOf((_req, res) => {
      res.writeHead(200, { 'X-Frame-Options': 'SAMEORIGIN' });
      res.end();
    });
    expect(written.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(namesOf(written).filter((n) => n === 'x-frame-options')).toHaveLength(1);

    const set = await headOf((_req, res) => {
      res.setHeader('referrer-policy', 'origin');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(200, 'OK');
      res.end();
    });
    expect(set.headers['referrer-policy']).toBe('origin');
    expect(set.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(set.headers['x-frame-options']).toBe('DENY');
    expect(namesOf(set).filter((n) => n === 'referrer-policy')).toHaveLength(1);
  });
});
