import type { IncomingMessage, ServerResponse } from 'node:http';

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
 * send a sized JSON string. Returns true when it answered.
 */
export function refuseOversizedBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return false;
  const declared = req.headers['content-length'];
  if (declared === undefined) {
    if (req.headers['transfer-encoding'] === undefined) return false;
    refuse(res, 411, 'Send the request body with a Content-Length');
    return true;
  }
  if (Number(declared) <= maxBytes) return false;
  refuse(res, 413, `Request body larger than ${maxBytes} bytes`);
  return true;
}
