import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('/graphql', () => {
  it('serves the schema', async () => {
    const { status, body } = await t.gql('query Me { me { id } }');
    expect(status).toBe(200);
    expect(body).toEqual({ data: { me: null } });
  });

  it('echoes a well-formed x-request-id and logs one line for the request', async () => {
    const { headers } = await t.gql('query Me { me { id } }', {}, { 'x-request-id': 'req-123' });
    expect(headers.get('x-request-id')).toBe('req-123');
    const line = t.logs.find((l) => l.requestId === 'req-123');
    expect(line).toMatchObject({ msg: 'graphql request', operationName: 'Me', outcome: 'ok', status: 200 });
    expect(typeof line?.durationMs).toBe('number');
    expect(t.logs.filter((l) => l.requestId === 'req-123')).toHaveLength(1);
  });

  it('replaces a missing or malformed request id with a fresh one', async () => {
    const a = await t.gql('{ me { id } }', {}, { 'x-request-id': 'bad id with spaces!' });
    const b = await t.gql('{ me { id } }');
    for (const id of [a.headers.get('x-request-id'), b.headers.get('x-request-id')]) {
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  it('reads a body that arrives in many chunks', async () => {
    // ~90 KiB: under the default GRAPHQL_MAX_BODY_BYTES, over one socket read.
    const { status, body } = await t.gql(`{ __typename ${' '.repeat(90_000)} }`);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { __typename: 'Query' } });
  });

  it('gives document errors a stable code and logs the outcome', async () => {
    const { body, headers } = await t.gql('{ nope }');
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const line = t.logs.find((l) => l.requestId === headers.get('x-request-id'));
    expect(line).toMatchObject({ outcome: 'error', errorCodes: ['BAD_USER_INPUT'] });
  });

  it('serves GraphiQL to browsers outside production', async () => {
    const response = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('<title>Acquisitions API</title>');
  });
});
