import type { Logger } from '../../logger.js';
import type { Context, Viewer } from '../context.js';
import { AppError, unauthenticated } from '../errors.js';
import type { EventBus } from './bus.js';
import { LiveStream } from './live-stream.js';
import type { DomainChange, LiveMessage } from './messages.js';

export type Transport = 'sse' | 'websocket';

export interface LiveLimits {
  /** Open subscriptions one viewer may hold (guests: one client IP). */
  perViewer: number;
  /** Open subscriptions on this instance. */
  max: number;
  /** Every open stream's credential is checked again this often (besides on access changes). */
  recheckMs: number;
}

/** What the metrics count (src/http/plugins/metrics.ts wires them to Prometheus). */
export interface LiveCounters {
  opened(transport: Transport): void;
  closed(transport: Transport): void;
  published(type: LiveMessage['type']): void;
  delivered(count: number): void;
}

/** Whether the credential a stream was opened with still stands for the same viewer. */
export type CredentialCheck = (ctx: Context) => Promise<Viewer | null>;

interface OpenStream {
  stream: LiveStream;
  ctx: Context;
  matches: (change: DomainChange) => boolean;
  transport: Transport;
}

/** Events queued for one slow subscriber before its stream is ended. */
const maxQueuedPerStream = 1000;

const transports = new WeakMap<Request, Transport>();

/** Marks a request as carried over WebSocket (SSE otherwise) for the metrics. */
export function markTransport(request: Request, transport: Transport): void {
  transports.set(request, transport);
}

const sameViewer = (before: Viewer, after: Viewer | null) =>
  after !== null && after.userId === before.userId && after.role === before.role;

/**
 * The instance's live subscriptions: publishes changes on the bus, hands each subscriber
 * the ones it asked for, enforces the caps, ends the streams of a viewer whose access
 * changed (UNAUTHENTICATED), and completes every stream at shutdown.
 */
export class LiveEvents {
  private readonly streams = new Set<OpenStream>();
  private readonly perViewer = new Map<string, number>();
  private readonly unsubscribe: () => void;
  private readonly recheckTimer: NodeJS.Timeout;
  private closing = false;

  constructor(
    private readonly bus: EventBus,
    private readonly limits: LiveLimits,
    private readonly checkCredential: CredentialCheck,
    private readonly logger: Logger,
    private readonly counters?: LiveCounters,
  ) {
    this.unsubscribe = bus.subscribe((message) => this.receive(message));
    this.recheckTimer = setInterval(() => this.recheck(() => true), limits.recheckMs);
    this.recheckTimer.unref();
  }

  /** Open subscriptions on this instance. */
  get size(): number {
    return this.streams.size;
  }

  /** Call once the write has committed: subscribers must never see a change that did not happen. */
  publish(message: LiveMessage): void {
    this.bus.publish(message);
    this.counters?.published(message.type);
  }

  /**
   * Call once a change to a user's sessions, keys, role or account has committed: that
   * user's streams, on every instance, check their credential again.
   */
  accessChanged(userId: number): void {
    this.publish({ type: 'access', userId });
  }

  /**
   * A new stream for the viewer of `ctx`, delivering the changes `matches` accepts. Refused
   * with RATE_LIMITED past the viewer's cap and SERVICE_UNAVAILABLE past the instance's.
   */
  open(ctx: Context, matches: (change: DomainChange) => boolean): AsyncIterableIterator<unknown> {
    if (this.closing) throw instanceFull('The server is shutting down; reconnect');
    if (this.streams.size >= this.limits.max) {
      throw instanceFull('This server holds as many subscriptions as it can; retry later');
    }
    const key = ctx.viewer ? `user:${ctx.viewer.userId}` : `ip:${ctx.clientIp ?? 'unknown'}`;
    const held = this.perViewer.get(key) ?? 0;
    if (held >= this.limits.perViewer) {
      throw new AppError(
        'RATE_LIMITED',
        `Too many open subscriptions (at most ${this.limits.perViewer}): close one first`,
        { retryAfter: 1 },
      );
    }
    this.perViewer.set(key, held + 1);
    const transport = transports.get(ctx.request) ?? 'sse';
    const entry: OpenStream = {
      ctx,
      matches,
      transport,
      stream: new LiveStream(
        maxQueuedPerStream,
        () => instanceFull('The subscription fell too far behind its events; subscribe again'),
        () => {
          this.streams.delete(entry);
          const left = (this.perViewer.get(key) ?? 1) - 1;
          if (left > 0) this.perViewer.set(key, left);
          else this.perViewer.delete(key);
          this.counters?.closed(transport);
        },
      ),
    };
    this.streams.add(entry);
    this.counters?.opened(transport);
    return entry.stream;
  }

  /** Completes every open stream (clients get a normal end) and refuses new ones. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.recheckTimer);
    for (const { stream } of [...this.streams]) stream.finish();
    this.unsubscribe();
    await this.bus.close();
  }

  private receive(message: LiveMessage): void {
    if (message.type === 'access') {
      this.recheck((viewer) => viewer.userId === message.userId);
      return;
    }
    let delivered = 0;
    for (const { stream, matches } of this.streams) {
      if (!matches(message)) continue;
      stream.push(message);
      delivered += 1;
    }
    if (delivered > 0) this.counters?.delivered(delivered);
  }

  /** Checks the credential of every signed-in stream whose viewer `affects` selects. */
  private recheck(affects: (viewer: Viewer) => boolean): void {
    for (const { stream, ctx } of this.streams) {
      const viewer = ctx.viewer;
      if (!viewer || !affects(viewer)) continue;
      this.checkCredential(ctx).then(
        (current) => {
          if (!sameViewer(viewer, current)) {
            stream.finish(unauthenticated('Your session or key was revoked, or your account changed'));
          }
        },
        // An outage is not a revocation: the next check decides.
        (err: unknown) =>
          this.logger.warn({ err, requestId: ctx.requestId }, 'subscription: credential check failed'),
      );
    }
  }
}

const instanceFull = (message: string) => new AppError('SERVICE_UNAVAILABLE', message, { retryAfter: 5 });
