import { buildSchema, getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printSdl } from '../../src/graphql/print.js';
import { schema } from '../../src/graphql/schema.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('GET /schema.graphql', () => {
  it('serves the published SDL as text with a strong ETag and a cache lifetime', async () => {
    const response = await fetch(`${t.url}/schema.graphql`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{43}"$/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300, must-revalidate');
    const body = await response.text();
    expect(body).toBe(printSdl(schema));
    expect(buildSchema(body).getQueryType()?.name).toBe('Query');
  });

  it('answers 304 without a body when If-None-Match names the current ETag', async () => {
    const etag = (await fetch(`${t.url}/schema.graphql`)).headers.get('etag') as string;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await fetch(`${t.url}/schema.graphql`, { headers: { 'if-none-match': ifNoneMatch } });
      expect(response.status, ifNoneMatch).toBe(304);
      expect(response.headers.get('etag')).toBe(etag);
      expect(await response.text()).toBe('');
    }
  });

  it('sends the SDL again when the client holds another version', async () => {
    const response = await fetch(`${t.url}/schema.graphql`, { headers: { 'if-none-match': '"stale"' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(printSdl(schema));
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await fetch(`${t.url}/schema.graphql`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(printSdl(schema)));
    const post = await fetch(`${t.url}/schema.graphql`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('introspection (INTROSPECTION unset)', () => {
  it('answers introspection queries by default', async () => {
    const { body } = await t.gql(getIntrospectionQuery());
    expect(body.errors).toBeUndefined();
    expect(body.data).toHaveProperty('__schema.queryType.name', 'Query');
  });
});
