import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Plugin } from 'graphql-yoga';

const ips = new WeakMap<Request, string>();

/** "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) is 10.0.0.1. */
function normalize(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped?.[1] ?? trimmed.toLowerCase();
}

/**
 * The address a request came from. Without trusted proxies it is the socket's peer,
 * whatever X-Forwarded-For claims (anyone can send that header). With `trustedHops`
 * proxies in front, each appends the address it received the request from, so the
 * client is `trustedHops` entries from the right; an entry that is not an IP address
 * stops the walk at the last proxy that gave a valid one.
 */
export function resolveClientIp(
  socketAddress: string,
  forwardedFor: string | null,
  trustedHops: number,
): string {
  let client = normalize(socketAddress);
  if (trustedHops === 0 || !forwardedFor) return client;
  const hops = forwardedFor.split(',').map(normalize).reverse();
  for (const hop of hops.slice(0, trustedHops)) {
    if (isIP(hop) === 0) break;
    client = hop;
  }
  return client;
}

/** The client address recorded by useClientIp ("unknown" outside a node:http request). */
export function clientIpOf(request: Request): string {
  return knownClientIp(request) ?? 'unknown';
}

/** The client address, or null outside a node:http request. */
export function knownClientIp(request: Request): string | null {
  return ips.get(request) ?? null;
}

/** Records the client address of `request`, which node:http received as `req`. */
export function recordClientIp(
  request: Request,
  req: IncomingMessage | undefined,
  trustedHops: number,
): void {
  const socketAddress = req?.socket.remoteAddress;
  if (!socketAddress) return;
  // Without trusted proxies the header is not read: it could only be ignored.
  const forwardedFor = trustedHops > 0 ? request.headers.get('x-forwarded-for') : null;
  ips.set(request, resolveClientIp(socketAddress, forwardedFor, trustedHops));
}

/** Records each request's client address (TRUST_PROXY hops of X-Forwarded-For believed). */
export function useClientIp(trustedHops: number): Plugin {
  return {
    onRequest({ request, serverContext }) {
      recordClientIp(request, (serverContext as { req?: IncomingMessage }).req, trustedHops);
    },
  };
}
