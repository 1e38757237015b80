import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { etagMatches } from './etag.js';

export type SdlHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Clients may cache the SDL for a few minutes, then revalidate with If-None-Match: a deploy
 * that changes the schema changes the ETag, so they never keep an old contract for long.
 */
const CACHE_CONTROL = 'public, max-age=300, must-revalidate';

/**
 * GET /schema.graphql: the published SDL as text, with a strong ETag derived from its
 * content. The body and tag are computed once, at start; the schema cannot change while the
 * process runs. Served whether or not introspection is enabled.
 */
export function createSdlHandler(sdl: string): SdlHandler {
  const body = Buffer.from(sdl, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
  const headers = { etag, 'cache-control': CACHE_CONTROL };

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method Not Allowed\n');
      return;
    }
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch && etagMatches(ifNoneMatch, etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/plain; charset=utf-8',
      'content-length': body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
