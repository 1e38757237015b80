import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A request whose body has been read into memory (`req.body`, as frameworks that parse bodies
 * leave it); @whatwg-node/server then builds its Request from the Buffer as it is
 * (vendor/whatwg-node-server/README.md).
 */
export type RequestWithBody = IncomingMessage & { body?: Buffer };

function refuse(res: ServerResponse, status: 411 | 413, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    // The body is left unread; the connection cannot carry another request after it.
    connection: 'close',
  });
  res.end(body);
}

/**
 * Refuses a request body larger than `maxBytes` before anything reads it, answering
 * 413; node's parser never delivers more than Content-Length bytes, so checking the
 * header bounds the body. Bodies without a length (chunked) get 411: GraphQL clients
 * send a sized JSON string.
 *
 * A body within the limit is read into memory and handed to `next` as `req.body`. Given
 * a body already read, @whatwg-node/server builds its Request from it instead of
 * streaming the socket through a pipeline (AbortController, DOMException,
 * TransformStream): a fixed cost per request larger than reading the few hundred bytes
 * of JSON. A client that disconnects mid-body gets no answer, as before.
 */
export function readBoundedBody(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes: number,
  next: (req: RequestWithBody) => void,
): void {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next(req);
  const declared = req.headers['content-length'];
  if (declared === undefined) {
    if (req.headers['transfer-encoding'] === undefined) return next(req);
    return refuse(res, 411, 'Send the request body with a Content-Length');
  }
  const length = Number(declared);
  if (length > maxBytes) return refuse(res, 413, `Request body larger than ${maxBytes} bytes`);
  if (length === 0) return next(req);

  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () =>
    next(Object.assign(req, { body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) })),
  );
}
