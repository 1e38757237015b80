import type { GraphQLError } from 'graphql';
import type { DomainChange } from './messages.js';

/** Ends a stream: the subscription's resolver raises `error` as the stream's last result. */
export interface StreamEnd {
  type: 'end';
  error: GraphQLError;
}

export type StreamItem = DomainChange | StreamEnd;

/**
 * One subscriber's queue of events. Unlike a generator it can be ended from outside (a
 * revoked session, shutdown) even while the consumer waits, and `onEnd` runs exactly once
 * however it ends: the consumer returning, `finish`, or an overflow.
 */
export class LiveStream implements AsyncIterableIterator<StreamItem> {
  private readonly queue: StreamItem[] = [];
  private waiting: ((result: IteratorResult<StreamItem>) => void) | undefined;
  private ended = false;

  constructor(
    /** Events queued for a consumer that does not read them; past it the stream ends. */
    private readonly maxQueued: number,
    private readonly overflowError: () => GraphQLError,
    private readonly onEnd: () => void,
  ) {}

  get isOpen(): boolean {
    return !this.ended;
  }

  push(item: DomainChange): void {
    if (this.ended) return;
    if (this.queue.length >= this.maxQueued) return this.finish(this.overflowError());
    this.deliver(item);
  }

  /** Ends the stream after what is queued, with `error` as its last result if given. */
  finish(error?: GraphQLError): void {
    if (this.ended) return;
    if (error) this.deliver({ type: 'end', error });
    this.ended = true;
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting({ done: true, value: undefined });
    }
    this.onEnd();
  }

  next(): Promise<IteratorResult<StreamItem>> {
    const item = this.queue.shift();
    if (item) return Promise.resolve({ done: false, value: item });
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<StreamItem>> {
    this.queue.length = 0;
    this.finish();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private deliver(item: StreamItem): void {
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting({ done: false, value: item });
    } else {
      this.queue.push(item);
    }
  }
}
