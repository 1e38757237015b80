import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testDriver } from '../helpers/database.js';

const exporter = new InMemorySpanExporter();
let t: TestApp;
let account: TestAccount;
beforeAll(async () => {
  t = await startTestApp({}, { traceExporter: exporter });
  account = await signUp(t);
});
afterAll(() => t.close());

/** The trace id the request's log line names. */
function traceIdLogged(app: TestApp, requestId: string | null): string {
  const line = app.logs.find((l) => l.msg === 'graphql request' && l.requestId === requestId);
  expect(line).toBeDefined();
  const traceId = line!.traceId;
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  return traceId as string;
}

interface Trace {
  root: ReadableSpan;
  spans: ReadableSpan[];
  childrenOf(span: ReadableSpan): ReadableSpan[];
}

/** The spans of one trace, once its HTTP span has ended (it ends after the response is sent). */
async function traceOf(traceId: string, from = exporter): Promise<Trace> {
  const spans = () => from.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  const root = await vi.waitFor(() => {
    const found = spans().find((s) => s.kind === SpanKind.SERVER);
    expect(found).toBeDefined();
    return found!;
  });
  const all = spans();
  return {
    root,
    spans: all,
    childrenOf: (span) => all.filter((s) => s.parentSpanContext?.spanId === span.spanContext().spanId),
  };
}

const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
const statements = (spans: ReadableSpan[]) => spans.filter((s) => s.kind === SpanKind.CLIENT);

describe('tracing', () => {
  it('traces a public read: HTTP → parse, validate → execution → compiled read → its one statement', async () => {
    const { status, body, headers } = await t.gql(
      'query FirstCompanies { companies(first: 2) { edges { node { name } } } }',
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const trace = await traceOf(traceIdLogged(t, headers.get('x-request-id')));

    expect(trace.root).toMatchObject({
      name: 'POST /graphql',
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/graphql',
        'url.path': '/graphql',
        'http.response.status_code': 200,
      },
    });
    expect(trace.root.parentSpanContext).toBeUndefined();
    const underRoot = trace.childrenOf(trace.root);
    expect(named(underRoot, 'graphql.parse')).toHaveLength(1);
    expect(named(underRoot, 'graphql.validate')).toHaveLength(1);
    const [execution] = named(underRoot, 'query.FirstCompanies');
    expect(execution?.attributes).toMatchObject({
      'graphql.execute.operationName': 'FirstCompanies',
      'acquisitions.read_path': 'compiled',
    });

    const underExecution = trace.childrenOf(execution!);
    expect(underExecution.map((s) => s.name)).toEqual(['graphql.compiled-read']);
    expect(underExecution[0]!.attributes['acquisitions.compiled_read.served']).toBe(true);
    const [statement, ...more] = trace.childrenOf(underExecution[0]!);
    expect(more).toEqual([]);
    expect(statement).toMatchObject({
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'postgresql', 'db.operation.name': expect.any(String) },
    });
    expect(statement!.attributes['db.query.text']).toMatch(/"companies"/);
  });

  it('traces a mutation through the resolvers, its statements under the execution, values left out', async () => {
    const name = `Traced Co ${Date.now()}`;
    const { body, headers } = await t.gql(
      'mutation AddCompany($input: CreateCompanyInput!) { createCompany(input: $input) { id name } }',
      { input: { name } },
      account.headers,
    );
    expect(body.errors).toBeUndefined();
    const trace = await traceOf(traceIdLogged(t, headers.get('x-request-id')));

    const [execution] = named(trace.childrenOf(trace.root), 'mutation.AddCompany');
    expect(execution?.attributes['acquisitions.read_path']).toBe('resolvers');
    expect(named(trace.spans, 'graphql.compiled-read')).toEqual([]);
    const inserts = statements(trace.childrenOf(execution!)).filter(
      (s) => s.attributes['db.operation.name'] === 'INSERT',
    );
    expect(inserts.map((s) => s.attributes['db.query.text'])).toEqual([
      expect.stringMatching(/^insert into "companies"/i),
    ]);
    // The viewer's credential is checked before execution: its statements hang off the request.
    expect(statements(trace.childrenOf(trace.root)).length).toBeGreaterThan(0);
    // Parameterized statements only: no span carries the values the client sent.
    expect(JSON.stringify(trace.spans.map((s) => s.attributes))).not.toContain(name);
    expect(JSON.stringify(trace.spans.map((s) => s.attributes))).not.toContain(account.token);
  });

  it("marks a failed statement with its SQLSTATE, leaving out Postgres's message", async () => {
    const mutation =
      'mutation AddCompany($input: CreateCompanyInput!) { createCompany(input: $input) { id } }';
    const input = { name: `Taken Co ${Date.now()}` };
    expect((await t.gql(mutation, { input }, account.headers)).body.errors).toBeUndefined();
    const { body, headers } = await t.gql(mutation, { input }, account.headers);
    expect(body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const trace = await traceOf(traceIdLogged(t, headers.get('x-request-id')));

    const failed = statements(trace.spans).filter((s) => s.status.code === SpanStatusCode.ERROR);
    expect(failed.map((s) => s.attributes)).toEqual([
      expect.objectContaining({ 'db.operation.name': 'INSERT', 'db.response.status_code': '23505' }),
    ]);
    expect(failed[0]!.events).toEqual([]);
    expect(JSON.stringify(trace.spans.map((s) => [s.attributes, s.events]))).not.toContain(input.name);
  });

  it('keeps the codes of GraphQL errors, not their messages, which may quote a variable', async () => {
    const { body, headers } = await t.gql(
      'query Page($first: Int) { companies(first: $first) { totalCount } }',
      {
        first: 'not-a-number-hunter2',
      },
    );
    expect(body.errors?.[0]?.message).toContain('hunter2');
    const trace = await traceOf(traceIdLogged(t, headers.get('x-request-id')));

    const [execution] = named(trace.spans, 'query.Page');
    expect(execution?.status.code).toBe(SpanStatusCode.ERROR);
    expect(execution?.events.map((e) => e.attributes)).toEqual([
      // Variable errors get their code from the error masking, after execution.
      { 'exception.type': 'graphql.execute.error', 'exception.message': 'UNKNOWN' },
    ]);
    expect(JSON.stringify(trace.spans.map((s) => [s.attributes, s.events]))).not.toContain('hunter2');
  });

  it("joins the caller's trace when the request carries a traceparent", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const { headers } = await t.gql(
      'query Me { me { id } }',
      {},
      {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
    );
    expect(traceIdLogged(t, headers.get('x-request-id'))).toBe(traceId);
    const trace = await traceOf(traceId);
    expect(trace.root.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  });

  it('leaves health checks untraced', async () => {
    exporter.reset();
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
    const { headers } = await t.gql('{ __typename }');
    const trace = await traceOf(traceIdLogged(t, headers.get('x-request-id')));
    expect(exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER)).toEqual([trace.root]);
  });
});

describe.skipIf(testDriver === 'pglite')('a statement the server cancels', () => {
  it('fails its span with SQLSTATE 57014, and the warning names the trace', async () => {
    // An exporter of its own: stopping the app shuts its exporter down.
    const slowSpans = new InMemorySpanExporter();
    const slow = await startTestApp({ DB_STATEMENT_TIMEOUT_MS: '300' }, { traceExporter: slowSpans });
    // Another session holds the table, so the read waits until the server cancels it.
    const locker = new pg.Client({ connectionString: slow.database.url });
    await locker.connect();
    try {
      await locker.query('begin; lock table companies in access exclusive mode');
      const { status, headers } = await slow.gql('query Stuck { companies(first: 1) { totalCount } }');
      expect(status).toBe(503);
      const traceId = traceIdLogged(slow, headers.get('x-request-id'));
      expect(slow.logs.find((l) => l.msg === 'database unavailable')).toMatchObject({
        reason: 'timeout',
        traceId,
      });
      const trace = await traceOf(traceId, slowSpans);
      expect(
        statements(trace.spans)
          .filter((s) => s.status.code === SpanStatusCode.ERROR)
          .map((s) => s.attributes['db.response.status_code']),
      ).toContain('57014');
    } finally {
      await locker.end();
      await slow.close();
    }
  });
});

describe('tracing off', () => {
  it('wraps nothing: no trace id in the log, no span around a statement even inside one', async () => {
    const off = await startTestApp();
    try {
      const { status, headers } = await off.gql(
        'query FirstCompanies { companies(first: 1) { totalCount } }',
      );
      expect(status).toBe(200);
      const line = off.logs.find((l) => l.requestId === headers.get('x-request-id'));
      expect(line).toMatchObject({ msg: 'graphql request', outcome: 'ok' });
      expect(line).not.toHaveProperty('traceId');

      // A span of the test's own: a traced database nests a statement's span under it.
      const tracer = new BasicTracerProvider({
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      }).getTracer('test');
      const statementsInside = async (app: TestApp) => {
        const traceId = await tracer.startActiveSpan('test', async (span) => {
          await app.app.database.db.execute(sql`select 1`);
          span.end();
          return span.spanContext().traceId;
        });
        return statements(exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId));
      };
      expect(await statementsInside(t)).toHaveLength(1);
      expect(await statementsInside(off)).toEqual([]);
    } finally {
      await off.close();
    }
  });
});

describe('OTLP export', () => {
  let collector: Server;
  const received: { path?: string; contentType?: string; body: string }[] = [];
  /** How the collector answers: 200, 400 (a refusal, not retried), or never. */
  let answer: 200 | 400 | 'never' = 200;
  beforeAll(async () => {
    collector = createServer((req, res) => {
      const status = answer;
      if (status === 'never') return;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          path: req.url,
          contentType: req.headers['content-type'],
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        collector.close(() => resolve());
        collector.closeAllConnections();
      }),
  );

  it('posts the spans to OTEL_EXPORTER_OTLP_ENDPOINT, all of them sent by the time shutdown ends', async () => {
    const { port } = collector.address() as AddressInfo;
    const traced = await startTestApp({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    let traceId: string;
    try {
      const { headers } = await traced.gql('query FirstCompanies { companies(first: 1) { totalCount } }');
      traceId = traceIdLogged(traced, headers.get('x-request-id'));
    } finally {
      await traced.close();
    }

    expect(received.length).toBeGreaterThan(0);
    for (const post of received) {
      expect(post).toMatchObject({ path: '/v1/traces', contentType: 'application/json' });
    }
    const resourceSpans = received.flatMap(
      (post) => (JSON.parse(post.body) as { resourceSpans: ResourceSpans[] }).resourceSpans,
    );
    const attributes = Object.fromEntries(
      resourceSpans[0]!.resource.attributes.map((a) => [a.key, a.value.stringValue]),
    );
    expect(attributes).toMatchObject({
      'service.name': 'acquisitions-api',
      'service.version': expect.any(String),
    });
    const spans = resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const names = spans.filter((s) => s.traceId === traceId).map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['POST /graphql', 'graphql.parse', 'graphql.validate', 'query.FirstCompanies']),
    );
  });

  it('sends nothing for requests the sampler leaves out', async () => {
    const { port } = collector.address() as AddressInfo;
    const before = received.length;
    const sampledOut = await startTestApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0',
    });
    try {
      const { status, headers } = await sampledOut.gql('{ __typename }');
      expect(status).toBe(200);
      // The request still has a trace id, for whatever the caller or a proxy recorded.
      traceIdLogged(sampledOut, headers.get('x-request-id'));
    } finally {
      await sampledOut.close();
    }
    expect(received.length).toBe(before);
  });

  it('logs a warning, naming the collector, when it refuses the spans', async () => {
    answer = 400;
    const { port } = collector.address() as AddressInfo;
    const traced = await startTestApp({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    try {
      expect((await traced.gql('{ __typename }')).status).toBe(200);
    } finally {
      await traced.close();
    }
    expect(traced.logs.filter((l) => l.msg === 'tracing: spans could not be exported')).toEqual([
      expect.objectContaining({ level: 40, collector: `127.0.0.1:${port}` }),
    ]);
  });

  it('gives up on a collector that does not answer within SHUTDOWN_TIMEOUT_MS, and says so', async () => {
    answer = 'never';
    const { port } = collector.address() as AddressInfo;
    const traced = await startTestApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      SHUTDOWN_TIMEOUT_MS: '500',
    });
    try {
      expect((await traced.gql('{ __typename }')).status).toBe(200);
    } finally {
      await traced.close();
    }
    // The exporter's own timeout is 10 s; the stop above did not wait for it.
    expect(traced.logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        'shutdown: spans could not all be exported within SHUTDOWN_TIMEOUT_MS; leaving them',
        'shutdown finished',
      ]),
    );
  });
});

/** The part of OTLP/JSON's ExportTraceServiceRequest the test reads. */
interface ResourceSpans {
  resource: { attributes: { key: string; value: { stringValue?: string } }[] };
  scopeSpans: { spans: { traceId: string; name: string }[] }[];
}
