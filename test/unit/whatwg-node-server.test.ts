/**
 * vendor/whatwg-node-server, the node:http adapter every request to Yoga goes through: its
 * changes keep the adapter's contract, in the ES module and the CommonJS copy alike. The URL
 * handed to `onRequest` hooks is parsed only when one reads it, and reads as the parsed URL
 * did; the request's signal aborts when the client gives up before the answer, and not
 * after an answer was sent.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import * as esm from '@whatwg-node/server';
import { afterEach, describe, expect, it } from 'vitest';

type CreateServerAdapter = typeof esm.createServerAdapter;
const cjs = createRequire(import.meta.url)('@whatwg-node/server') as typeof esm;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/**
 * A Fetch API that counts the URLs parsed for requests: those the adapter builds, and those
 * it reads from `request.parsedUrl` (what @whatwg-node/node-fetch's requests parse on access).
 */
function countingFetchApi() {
  const counter = { parsed: 0 };
  class CountingURL extends URL {
    constructor(url: string | URL, base?: string | URL) {
      super(url, base);
      counter.parsed += 1;
    }
  }
  class ParsingRequest extends Request {
    get parsedUrl(): URL {
      return new CountingURL(this.url);
    }
  }
  return { counter, fetchAPI: { URL: CountingURL, Request: ParsingRequest } };
}

describe.each([
  ['esm', esm.createServerAdapter],
  ['cjs', cjs.createServerAdapter],
] as [string, CreateServerAdapter][])('createServerAdapter (%s)', (_name, createServerAdapter) => {
  it('parses the URL only for a hook that reads it, and reads as the parsed URL', async () => {
    const { counter, fetchAPI } = countingFetchApi();
    const seen: unknown[] = [];
    let read = false;
    const adapter = createServerAdapter(() => new Response('ok'), {
      fetchAPI,
      // Node's own Request takes only its own AbortSignal.
      __useCustomAbortCtrl: false,
      plugins: [
        {
          onRequest({ url }) {
            if (!read) return;
            seen.push(
              url.pathname,
              url.searchParams.get('a'),
              url.toString(),
              String(url),
              url.href,
              'pathname' in url,
            );
          },
        },
      ],
    });
    const port = await listen(adapter);

    expect(await (await fetch(`http://127.0.0.1:${port}/graphql?a=1`)).text()).toBe('ok');
    expect(counter.parsed).toBe(0);

    read = true;
    expect(await (await fetch(`http://127.0.0.1:${port}/graphql?a=1`)).text()).toBe('ok');
    const href = `http://127.0.0.1:${port}/graphql?a=1`;
    expect(seen).toEqual(['/graphql', '1', href, href, href, true]);
    expect(counter.parsed).toBe(1);
  });

  it('builds the request from a body already read into a Buffer, empty too, and reads the socket without one', async () => {
    const adapter = createServerAdapter(
      async (request) => new Response(JSON.stringify({ method: request.method, body: await request.text() })),
    );
    const port = await listen((req, res) => {
      if (req.headers['x-read'] === 'no') return void adapter(req, res);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => void adapter(Object.assign(req, { body: Buffer.concat(chunks) }), res));
    });
    const post = async (body: string, read = true) =>
      (await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-read': read ? 'yes' : 'no' },
        body,
      }).then((response) => response.json())) as unknown;

    const query = JSON.stringify({ query: '{ __typename }', variables: { name: 'Zoë' } });
    expect(await post(query)).toEqual({ method: 'POST', body: query });
    expect(await post(query, false)).toEqual({ method: 'POST', body: query });
    // An empty Buffer is an empty body: the socket it was read from has ended, and reading it
    // again would never end (0.11.0 did).
    expect(await post('')).toEqual({ method: 'POST', body: '' });
  });

  it("aborts the request's signal when the client leaves before the answer", async () => {
    let signal: AbortSignal | undefined;
    const adapter = createServerAdapter((request) => {
      signal = request.signal;
      // Answers only once given up on: the client leaves first.
      return new Promise<Response>((answer) =>
        request.signal.addEventListener('abort', () => answer(new Response('late'))),
      );
    });
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const port = await listen((req, res) => {
      void adapter(req, res);
      arrived();
    });

    const client = httpRequest({ host: '127.0.0.1', port, path: '/slow' });
    client.on('error', () => undefined);
    client.end();
    await requestArrived;
    expect(signal?.aborted).toBe(false);
    client.destroy();
    await new Promise((aborted) => signal!.addEventListener('abort', aborted));
    expect(signal!.aborted).toBe(true);
  });

  it("leaves the request's signal alone once the answer was sent", async () => {
    let signal: AbortSignal | undefined;
    const adapter = createServerAdapter((request) => {
      signal = request.signal;
      return new Response('done');
    });
    let closed!: () => void;
    const responseClosed = new Promise<void>((resolve) => (closed = resolve));
    const port = await listen((req, res) => {
      void adapter(req, res);
      // After the adapter's own listener: this one resolves the wait that then checks.
      res.on('close', closed);
    });

    const response = await fetch(`http://127.0.0.1:${port}/fast`);
    expect(await response.text()).toBe('done');
    await responseClosed;
    expect(signal?.aborted).toBe(false);
  });
});
