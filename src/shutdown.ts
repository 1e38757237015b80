import type { Server } from 'node:http';

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
