import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
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
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      connection: 'keep-alive',
    },
  });
  const response = once(req, 'response');
  // Headers and half the body: the request is in flight when shutdown begins.
  const received = once(t.app.server, 'request');
  req.write(body.slice(0, 5));
  await received;
  const stopped = t.close();
  await expect(fetch(`${t.url}/health/live`)).rejects.toThrow();
  req.end(body.slice(5));

  const [res] = (await response) as [IncomingMessage];
  let text = '';
  for await (const chunk of res) text += chunk;
  expect(res.statusCode).toBe(200);
  // A keep-alive client must not send another request on a connection that is closing.
  expect(res.headers.connection).toBe('close');
  expect(JSON.parse(text)).toEqual({ data: { me: null } });
  await stopped;
  expect(t.logs).toContainEqual(expect.objectContaining({ msg: 'shutdown finished' }));
});

it('drains first: /health/ready answers 503 for SHUTDOWN_DRAIN_MS while requests are still served', async () => {
  const drainMs = 1500;
  const t = await startTestApp({ SHUTDOWN_DRAIN_MS: String(drainMs) });
  const started = performance.now();
  const stopped = t.app.stop();

  const ready = await fetch(`${t.url}/health/ready`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ status: 'degraded', checks: { database: { status: 'ok' } } });
  expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
  // Served as usual, on a new connection too: the load balancer has not noticed yet.
  const served = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  expect(served.status).toBe(200);
  expect(await served.json()).toEqual({ data: { me: null } });

  await stopped;
  expect(performance.now() - started).toBeGreaterThanOrEqual(drainMs);
  await expect(fetch(`${t.url}/health/live`)).rejects.toThrow();
  expect(t.logs).toContainEqual(
    expect.objectContaining({ msg: expect.stringMatching(/^shutdown: draining/) }),
  );
  expect(t.logs).toContainEqual(expect.objectContaining({ msg: 'shutdown finished' }));
  await t.close();
});
