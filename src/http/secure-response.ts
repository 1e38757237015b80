import {
  ServerResponse,
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
} from 'node:http';

type Headers = OutgoingHttpHeaders | OutgoingHttpHeader[];

/**
 * A response that sends the security headers (security-headers.ts) in its own `writeHead`,
 * in the list given to it, instead of a dozen `setHeader` calls before the handler runs.
 * Each `setHeader` validates and lower-cases its name and stores it, and any header set
 * that way pushes the handler's `writeHead` (Yoga writes its whole head in one) onto
 * node's slow path, which sets each of its headers one by one again. Headers the handler
 * gives keep the last word, as they had when the security headers were set first: a
 * security header it writes itself (or set before) is not sent twice.
 */
export class SecureServerResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  /** The flat `[name, value, …]` list to send; set by the server before the handler runs. */
  securityHeaders: readonly OutgoingHttpHeader[] | undefined;

  override writeHead(statusCode: number, reason?: string | Headers, headers?: Headers): this {
    const extra = this.securityHeaders;
    if (!extra) return super.writeHead(statusCode, reason as string, headers);
    // As node reads its arguments: a reason that is not a string is the headers, unless they follow.
    if (typeof reason !== 'string') {
      headers ??= reason;
      reason = undefined;
    }
    return super.writeHead(statusCode, reason as string, this.withSecurityHeaders(extra, headers));
  }

  private withSecurityHeaders(extra: readonly OutgoingHttpHeader[], headers: Headers | undefined) {
    const given = new Set<string>();
    const flat: OutgoingHttpHeader[] = [];
    if (Array.isArray(headers)) {
      for (let i = 0; i < headers.length; i += 2) given.add(String(headers[i]).toLowerCase());
    } else if (headers) {
      for (const name of Object.keys(headers)) given.add(name.toLowerCase());
    }
    // Names in `extra` are lower case (helmet's, read back from getHeaders()).
    for (let i = 0; i < extra.length; i += 2) {
      const name = extra[i] as string;
      if (!given.has(name) && !this.hasHeader(name)) flat.push(name, extra[i + 1] as OutgoingHttpHeader);
    }
    if (Array.isArray(headers)) flat.push(...headers);
    else if (headers) {
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat.push(name, value);
    }
    return flat;
  }
}
