import type { LiveMessage } from './messages.js';

export type Listener = (message: LiveMessage) => void;

/**
 * Carries live messages to every instance's subscribers: in-process without REDIS_URL,
 * through Redis pub/sub with it (redis-bus.ts). Publishing never throws: a lost event is
 * logged, the write it reports has committed all the same.
 */
export interface EventBus {
  publish(message: LiveMessage): void;
  /** Starts delivering every message, this instance's included; returns the way to stop. */
  subscribe(listener: Listener): () => void;
  close(): Promise<void>;
}

/** One process: messages go through JSON like Redis's do, and arrive on a later tick. */
export function createMemoryBus(): EventBus {
  const listeners = new Set<Listener>();
  return {
    publish(message) {
      const text = JSON.stringify(message);
      setImmediate(() => {
        for (const listener of listeners) listener(JSON.parse(text) as LiveMessage);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}
