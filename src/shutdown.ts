import type { Server, ServerResponse } from 'node:http';

export interface ClosableServer {
  /**
   * Stops accepting connections and waits for in-flight requests, whose responses carry
   * `Connection: close` so keep-alive clients do not send another request on a closing
   * connection; after timeoutMs the remaining connections are cut so shutdown is bounded.
   */
  close(timeoutMs: number): Promise<void>;
}

/** Follows `server`'s responses from now on, so that closing can tell the in-flight ones to close. */
export function closable(server: Server): ClosableServer {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  const closeAfter = (res: ServerResponse) => {
    // Health answers are written before this listener runs; their connections are idle next.
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  server.on('request', (_req, res: ServerResponse) => {
    if (closing) return closeAfter(res);
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  return {
    close(timeoutMs) {
      closing = true;
      for (const res of inFlight) closeAfter(res);
      return closeServer(server, timeoutMs);
    },
  };
}

/**
 * Stops accepting connections and waits for in-flight requests; after
 * timeoutMs the remaining connections are cut so shutdown is bounded.
 */
export function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    // A keep-alive connection whose request finishes after close() began stays open
    // until its idle timeout; sweeping idle connections lets close() complete promptly.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.close((error) => {
      clearTimeout(deadline);
      clearInterval(sweep);
      if (error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

/** Whether `work` settled within `ms`; it is left to finish (or not) on its own after that. */
export function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = work.then(
    () => true,
    () => true,
  );
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}
