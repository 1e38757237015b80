import { Counter, Gauge, type Registry } from 'prom-client';
import type { LiveCounters, Transport } from '../graphql/events/live-events.js';

const transports: Transport[] = ['sse', 'websocket'];
const messageTypes = ['acquisition', 'company', 'access'] as const;

/** Prometheus metrics of the live events, in the app's registry. */
export function liveMetrics(registry: Registry): LiveCounters {
  const open = new Gauge({
    name: 'acquisitions_subscriptions_open',
    help: 'Subscriptions open on this instance, by transport (sse, websocket)',
    labelNames: ['transport'],
    registers: [registry],
  });
  const published = new Counter({
    name: 'acquisitions_live_events_published_total',
    help: 'Live events this instance published after a commit, by type (acquisition, company, access)',
    labelNames: ['type'],
    registers: [registry],
  });
  const delivered = new Counter({
    name: 'acquisitions_live_events_delivered_total',
    help: 'Events handed to this instance’s subscribers (one per matching subscription)',
    registers: [registry],
  });
  // Every series from zero, so rate() and alerts see them before the first event.
  for (const transport of transports) open.labels({ transport }).set(0);
  for (const type of messageTypes) published.labels({ type }).inc(0);
  return {
    opened: (transport) => open.inc({ transport }),
    closed: (transport) => open.dec({ transport }),
    published: (type) => published.inc({ type }),
    delivered: (count) => delivered.inc(count),
  };
}
