import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * GraphiQL's code, styles, icon and editor workers, served by the service itself under
 * /graphiql/ (no CDN): content-addressed names, immutable caching, ETags, gzip.
 */
let t: TestApp;
let files: string[];

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${t.url}${path}`, { headers: { 'accept-encoding': 'identity', ...headers } });

beforeAll(async () => {
  t = await startTestApp();
  const page = await (await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } })).text();
  const named = [...page.matchAll(/\b(?:src|href)="(\/graphiql\/[^"]+)"/g)].map(([, path = '']) => path);
  const boot = named.find((path) => path.includes('/boot.')) ?? '';
  const workers = [
    ...(await (await get(boot)).text()).matchAll(/"(\/graphiql\/[\w.-]+\.worker\.[\w-]+\.js)"/g),
  ];
  files = [...named, ...workers.map(([, path = '']) => path)];
});

afterAll(() => t?.close());

const typeOf = (path: string) =>
  ({ js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', ico: 'image/x-icon' })[
    path.split('.').at(-1) ?? ''
  ];

describe('GraphiQL files', () => {
  it('are every file the page and its boot script name: code, styles, icon and three editor workers', () => {
    expect(files).toHaveLength(7);
    expect(files.filter((path) => path.includes('.worker.'))).toHaveLength(3);
  });

  it('are served with their type, a year of immutable caching and a strong ETag', async () => {
    for (const path of files) {
      const response = await get(path);
      const body = Buffer.from(await response.arrayBuffer());
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe(typeOf(path));
      expect(response.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('etag'), path).toMatch(/^"[\w-]{43}"$/);
      expect(response.headers.get('content-encoding'), path).toBeNull();
      expect(Number(response.headers.get('content-length')), path).toBe(body.length);
      expect(body.length, path).toBeGreaterThan(100);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('answer a request that names their ETag with 304 Not Modified, in either encoding', async () => {
    const [path = ''] = files;
    for (const encoding of ['identity', 'gzip']) {
      const first = await get(path, { 'accept-encoding': encoding });
      await first.arrayBuffer();
      const etag = first.headers.get('etag') ?? '';
      const again = await get(path, { 'accept-encoding': encoding, 'if-none-match': `W/${etag}` });
      expect(again.status, encoding).toBe(304);
      expect(again.headers.get('etag'), encoding).toBe(etag);
      expect(await again.text()).toBe('');
    }
  });

  it('are gzipped for clients that accept it, with their own ETag and the same content', async () => {
    const script = files.find((path) => path.includes('/yoga-graphiql.')) ?? '';
    const plain = await get(script);
    const zipped = await get(script, { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toBe('accept-encoding');
    expect(Number(zipped.headers.get('content-length'))).toBeLessThan(
      Number(plain.headers.get('content-length')) / 2,
    );
    expect(zipped.headers.get('etag')).not.toBe(plain.headers.get('etag'));
    // fetch decompresses: the text is the script itself.
    expect(await zipped.text()).toBe(await plain.text());
  });

  it('start the editor workers under a policy that allows them nothing beyond their own code', async () => {
    for (const path of files.filter((file) => file.includes('.worker.'))) {
      const response = await get(path);
      await response.arrayBuffer();
      expect(response.headers.get('content-security-policy'), path).toMatch(/^default-src 'none';/);
    }
  });

  it('answer HEAD without a body, 404 for a name they do not have, 405 for other methods', async () => {
    const [path = ''] = files;
    const head = await fetch(`${t.url}${path}`, {
      method: 'HEAD',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');

    expect((await get('/graphiql/yoga-graphiql.0000000000000000.js')).status).toBe(404);
    expect((await get('/graphiql/')).status).toBe(404);
    const post = await fetch(`${t.url}${path}`, { method: 'POST', body: '' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('with GRAPHIQL off (the production default)', () => {
  let off: TestApp;
  beforeAll(async () => {
    off = await startTestApp({ NODE_ENV: 'production' });
  });
  afterAll(() => off?.close());

  it('serves neither the page nor its files', async () => {
    const page = await fetch(`${off.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
    await page.arrayBuffer();
    for (const path of files) {
      const response = await fetch(`${off.url}${path}`);
      await response.arrayBuffer();
      expect(response.status, path).toBe(404);
    }
  });
});
