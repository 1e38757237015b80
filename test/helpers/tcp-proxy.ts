import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /**
   * Stops forwarding, both ways and on new connections too: bytes are held, as by a
   * server that is frozen (SIGSTOP, a stalled VM or disk) or a network that drops packets.
   */
  freeze(): void;
  /** Forwards again, what was held first. */
  thaw(): void;
  /** Chunks held while frozen and not yet forwarded: something is waiting on the server. */
  held(): number;
  /** Resets every connection and refuses new ones, as a killed server does. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  held: [Socket, Buffer][];
}

/** A TCP relay to `target` that a test can freeze or kill: faults of a real server without Docker. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let frozen = false;

  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    const pair: Pair = { client, upstream, held: [] };
    pairs.add(pair);
    const relay = (to: Socket) => (chunk: Buffer) => {
      if (frozen) pair.held.push([to, chunk]);
      else to.write(chunk);
    };
    client.on('data', relay(upstream));
    upstream.on('data', relay(client));
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const closeListener = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  const resetAll = () => {
    for (const { client, upstream } of pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };

  return {
    port: (server.address() as AddressInfo).port,
    freeze: () => {
      frozen = true;
    },
    held: () => [...pairs].reduce((sum, pair) => sum + pair.held.length, 0),
    thaw: () => {
      frozen = false;
      for (const pair of pairs) {
        for (const [to, chunk] of pair.held.splice(0)) to.write(chunk);
      }
    },
    kill: async () => {
      const closed = closeListener();
      resetAll();
      await closed;
    },
    close: async () => {
      const closed = closeListener();
      resetAll();
      await closed;
    },
  };
}
