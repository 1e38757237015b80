/**
 * The ceiling for Q1: a bare node:http server answering every request with the
 * same body and headers as the service's /health/live. Environment: HOST, PORT.
 */
import { createServer } from 'node:http';

const payload = JSON.stringify({ status: 'ok' });
const server = createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  res.end(payload);
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
