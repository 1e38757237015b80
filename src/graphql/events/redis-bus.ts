import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import type { EventBus, Listener } from './bus.js';
import type { LiveMessage } from './messages.js';

export interface RedisBusOptions {
  /** Sends PUBLISH. */
  publisher: Redis;
  /** A connection of its own: once subscribed, Redis accepts nothing else on it. */
  subscriber: Redis;
  /** Every instance of one deployment uses the same channel (REDIS_KEY_PREFIX + "live"). */
  channel: string;
  logger: Logger;
}

/** A failing Redis would otherwise log once per write. */
const errorLogIntervalMs = 10_000;

/**
 * Live messages through Redis pub/sub, so a write on one instance reaches the subscribers
 * of all. This instance's own messages come back through Redis too: every subscriber sees
 * one order. While Redis is unreachable events are lost (logged), not queued: a subscriber
 * cannot tell a late event from a current one.
 */
export async function createRedisBus({
  publisher,
  subscriber,
  channel,
  logger,
}: RedisBusOptions): Promise<EventBus> {
  const listeners = new Set<Listener>();
  let lastLoggedAt = -Infinity;
  const logFailure = (err: unknown, what: string) => {
    if (Date.now() - lastLoggedAt < errorLogIntervalMs) return;
    lastLoggedAt = Date.now();
    logger.error({ err }, `live events: ${what}`);
  };

  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    let message: LiveMessage;
    try {
      message = JSON.parse(text) as LiveMessage;
    } catch (err) {
      return logFailure(err, 'unreadable message ignored');
    }
    for (const listener of listeners) listener(message);
  });
  // After a reconnection (and when Redis was down at start); subscribing twice is harmless.
  const subscribe = () =>
    subscriber.subscribe(channel).catch((err: unknown) => logFailure(err, 'could not subscribe'));
  subscriber.on('ready', () => void subscribe());
  if (subscriber.status === 'ready') await subscribe();

  return {
    publish(message) {
      publisher
        .publish(channel, JSON.stringify(message))
        .catch((err: unknown) => logFailure(err, 'an event could not be published and is lost'));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await Promise.all(
        [publisher, subscriber].map((client) => client.quit().catch(() => client.disconnect())),
      );
    },
  };
}
