import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface NeonProxy {
  port: number;
  close(): Promise<void>;
}

/**
 * Stands in for Neon's WebSocket proxy (and Neon Local's /v2 endpoint): each
 * WebSocket carries the Postgres wire protocol, relayed byte for byte to TCP.
 */
export async function startNeonProxy(target: { host: string; port: number }): Promise<NeonProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => {
    const tcp = connect(target.port, target.host);
    socket.on('message', (data: Buffer) => tcp.write(data));
    tcp.on('data', (data) => socket.send(data));
    socket.on('close', () => tcp.end());
    tcp.on('close', () => socket.close());
    tcp.on('error', () => socket.close());
    socket.on('error', () => tcp.destroy());
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
