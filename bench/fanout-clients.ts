/**
 * The subscribers of bench/fanout.ts, in a process of their own so they never share an
 * event loop with a server: `count` SSE subscriptions to `url`, each event's delay from its
 * commit (`at`, stamped by the writing instance) to its arrival here. Talks to the parent
 * over IPC: `ready` once every subscription is open, then on `finish` the statistics.
 */
import http from 'node:http';

interface Spec {
  url: string;
  count: number;
  query: string;
}

const spec = JSON.parse(process.argv[2] as string) as Spec;
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const latencies: number[] = [];
let errors = 0;
let firstArrival = Infinity;
let lastArrival = 0;
const requests: http.ClientRequest[] = [];

function subscribe(): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query: spec.query });
    const request = http.request(
      `${spec.url}/graphql`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        if (response.statusCode !== 200) return reject(new Error(`status ${response.statusCode}`));
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').find((line) => line.startsWith('data: '));
            if (!data) continue;
            const arrived = Date.now();
            const result = JSON.parse(data.slice(6)) as {
              data?: { acquisitionEvents?: { at: string } };
              errors?: unknown[];
            };
            const at = result.data?.acquisitionEvents?.at;
            if (!at || result.errors) {
              errors += 1;
              continue;
            }
            latencies.push(arrived - Date.parse(at));
            firstArrival = Math.min(firstArrival, arrived);
            lastArrival = Math.max(lastArrival, arrived);
          }
        });
        resolve();
      },
    );
    request.on('error', reject);
    request.end(body);
    requests.push(request);
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

// A few at a time: a thousand handshakes at once would time out on 2 shared cores.
for (let i = 0; i < spec.count; i += 50) {
  await Promise.all(Array.from({ length: Math.min(50, spec.count - i) }, () => subscribe()));
}
process.send?.({ type: 'ready' });

process.on('message', (message) => {
  if (message === 'progress') {
    process.send?.({ type: 'progress', received: latencies.length });
    return;
  }
  // The warm-up's events are not measured.
  if (message === 'reset') {
    process.send?.({ type: 'reset', received: latencies.length });
    latencies.length = 0;
    errors = 0;
    firstArrival = Infinity;
    lastArrival = 0;
    return;
  }
  if (message !== 'finish') return;
  const sorted = latencies.slice().sort((a, b) => a - b);
  process.send?.({
    type: 'stats',
    received: latencies.length,
    errors,
    firstArrival,
    lastArrival,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  });
  for (const request of requests) request.destroy();
  setImmediate(() => process.exit(0));
});
