import { once } from 'node:events';
import { request } from 'node:http';
import { expect, it } from 'vitest';
import { startTestApp } from '../helpers/app.js';

it('finishes an in-flight request before stopping, and refuses new connections', async () => {
  const t = await startTestApp();
  const body = JSON.stringify({ query: '{ me { id } }' });
  const { port } = new URL(t.url);

  const req = request({
    host: '127.0.0.1',
    port,
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const response = once(req, 'response');
  // Headers and half the body: the request is in flight when shutdown begins.
  const received = once(t.app.server, 'request');
  req.write(body.slice(0, 5));
  await received;
  const stopped = t.close();
  await expect(fetch(`${t.url}/health/live`)).rejects.toThrow();
  req.end(body.slice(5));

  const [res] = (await response) as [import('node:http').IncomingMessage];
  let text = '';
  for await (const chunk of res) text += chunk;
  expect(res.statusCode).toBe(200);
  expect(JSON.parse(text)).toEqual({ data: { me: null } });
  await stopped;
});
