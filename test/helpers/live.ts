import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { ExecutionResult } from 'graphql';

export type LiveResult = ExecutionResult<Record<string, unknown>, Record<string, unknown>> & {
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

/** One open subscription, read as its events arrive. */
export interface LiveSubscription {
  status: number;
  headers: Headers;
  /** The next result; rejects when none arrives within `timeoutMs` or the stream ended first. */
  next(timeoutMs?: number): Promise<LiveResult>;
  /** Resolves once the server completed the stream (SSE `complete`, or graphql-ws Complete). */
  completed: Promise<void>;
  /** Keep-alive comments received so far (SSE). */
  pings(): number;
  close(): void;
}

/** Results as they arrive, and waiters for the next one. */
export class ResultQueue {
  private readonly results: LiveResult[] = [];
  private readonly waiters: { resolve: (r: LiveResult) => void; reject: (e: Error) => void }[] = [];
  private endedWith: Error | undefined;

  push(result: LiveResult): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(result);
    else this.results.push(result);
  }

  end(reason: Error): void {
    this.endedWith ??= reason;
    for (const waiter of this.waiters.splice(0)) waiter.reject(reason);
  }

  next(timeoutMs = 5000): Promise<LiveResult> {
    const queued = this.results.shift();
    if (queued) return Promise.resolve(queued);
    if (this.endedWith) return Promise.reject(this.endedWith);
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (r: LiveResult) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}

/**
 * Subscribes over Server-Sent Events (GraphQL over SSE, distinct connections): resolves
 * once the response headers arrived, when the server has registered the subscription.
 */
export async function subscribeSse(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<LiveSubscription> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  const queue = new ResultQueue();
  let pings = 0;
  let markCompleted: () => void = () => undefined;
  const completed = new Promise<void>((resolve) => {
    markCompleted = resolve;
  });
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.startsWith('text/event-stream')) {
    // A refusal before the stream started: one JSON result.
    queue.push((await response.json()) as LiveResult);
    queue.end(new Error('the stream did not start'));
    markCompleted();
  } else {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const lines = block.split('\n');
            if (lines.every((line) => line.startsWith(':'))) {
              pings += 1;
              continue;
            }
            const event = lines
              .find((line) => line.startsWith('event:'))
              ?.slice(6)
              .trim();
            const data = lines
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5).trimStart())
              .join('\n');
            if (event === 'next') queue.push(JSON.parse(data) as LiveResult);
            if (event === 'complete') markCompleted();
          }
        }
        queue.end(new Error('the stream ended'));
      } catch (error) {
        queue.end(error instanceof Error ? error : new Error(String(error)));
      }
    })();
  }
  return {
    status: response.status,
    headers: response.headers,
    next: (timeoutMs) => queue.next(timeoutMs),
    completed,
    pings: () => pings,
    close: () => abort.abort(),
  };
}

export interface WsConnection {
  subscribe(query: string, variables?: Record<string, unknown>): LiveSubscription;
  /** Resolves with the close code once the server closed the socket. */
  closed: Promise<number>;
  dispose(): Promise<void>;
}

/**
 * A graphql-ws client on `baseUrl`'s /graphql. `connectionParams` carry a credential as a
 * browser would send it; `headers` go on the upgrade request (cookies, Origin).
 */
export function connectWs(
  baseUrl: string,
  connectionParams: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): WsConnection {
  let markClosed: (code: number) => void = () => undefined;
  const closed = new Promise<number>((resolve) => {
    markClosed = resolve;
  });
  const client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    connectionParams,
    webSocketImpl: class extends WebSocket {
      constructor(url: string, protocols: string | string[]) {
        super(url, protocols, { headers });
      }
    },
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => markClosed((event as { code: number }).code) },
    onNonLazyError: () => undefined,
  });
  return {
    closed,
    subscribe(query, variables = {}) {
      const queue = new ResultQueue();
      let markCompleted: () => void = () => undefined;
      const completed = new Promise<void>((resolve) => {
        markCompleted = resolve;
      });
      const unsubscribe = client.subscribe(
        { query, variables },
        {
          next: (result) => queue.push(result as LiveResult),
          // An operation refused before it started: its errors, as a result.
          error: (error) => {
            if (Array.isArray(error)) queue.push({ errors: error } as LiveResult);
            queue.end(error instanceof Error ? error : new Error('the operation failed'));
            markCompleted();
          },
          complete: () => {
            queue.end(new Error('the stream completed'));
            markCompleted();
          },
        },
      );
      return {
        status: 101,
        headers: new Headers(),
        next: (timeoutMs) => queue.next(timeoutMs),
        completed,
        pings: () => 0,
        close: unsubscribe,
      };
    },
    dispose: async () => {
      await client.dispose();
    },
  };
}
