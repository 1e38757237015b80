import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { etagMatches } from './etag.js';
import type { StaticAsset } from './graphiql-assets.js';

export type StaticAssetHandler = (req: IncomingMessage, res: ServerResponse, path: string) => void;

/** A file's URL changes with its content, so a browser may keep it for a year without asking. */
const CACHE_CONTROL = 'public, max-age=31536000, immutable';

const compress = promisify(gzip);

/** Whether Accept-Encoding allows gzip (named or `*`, with no `q=0`). */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function plain(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}

/**
 * GET/HEAD for a fixed set of content-addressed files: a strong ETag per encoding (304 on
 * If-None-Match), immutable caching, and gzip for clients that accept it — compressed on first
 * request, off the event loop, and kept (GraphiQL's 9 MB become about 2.5 MB on the wire).
 * `load` gives the files, by path, on the first request; if it fails, `onLoadError` hears why
 * and the client gets a 500.
 */
export function createStaticAssetHandler(
  load: () => Promise<ReadonlyMap<string, StaticAsset>>,
  onLoadError: (error: unknown) => void,
): StaticAssetHandler {
  const gzipped = new Map<StaticAsset, Promise<Buffer>>();
  const gzipOf = (file: StaticAsset) => {
    let body = gzipped.get(file);
    if (!body) gzipped.set(file, (body = compress(file.body)));
    return body;
  };
  const gzipEtag = (file: StaticAsset) => `${file.etag.slice(0, -1)}-gzip"`;

  const serve = (req: IncomingMessage, res: ServerResponse, file: StaticAsset | undefined) => {
    if (!file) return plain(res, 404, 'Not Found');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return plain(res, 405, 'Method Not Allowed', { allow: 'GET, HEAD' });
    }
    const useGzip = acceptsGzip(req.headers['accept-encoding']);
    const common = {
      'cache-control': CACHE_CONTROL,
      vary: 'accept-encoding',
      etag: useGzip ? gzipEtag(file) : file.etag,
    };
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch && (etagMatches(ifNoneMatch, file.etag) || etagMatches(ifNoneMatch, gzipEtag(file)))) {
      res.writeHead(304, common);
      res.end();
      return;
    }
    const send = (body: Buffer, encoding?: string) => {
      res.writeHead(200, {
        ...common,
        'content-type': file.contentType,
        'content-length': body.length,
        ...(encoding ? { 'content-encoding': encoding } : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (!useGzip) return send(file.body);
    // zlib does not fail on a buffer in memory; should it ever, the plain body still serves.
    gzipOf(file).then(
      (body) => send(body, 'gzip'),
      () => send(file.body),
    );
  };

  return (req, res, path) => {
    load().then(
      (files) => serve(req, res, files.get(path)),
      (error: unknown) => {
        onLoadError(error);
        plain(res, 500, 'Internal Server Error');
      },
    );
  };
}
