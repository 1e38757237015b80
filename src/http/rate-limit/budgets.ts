import { isIP } from 'node:net';
import type { Viewer } from '../../graphql/context.js';

/** The four budgets of DESIGN.md's roles: who pays for a request. */
export type Budget = 'guest' | 'user' | 'apiKey' | 'admin';
export const budgets: readonly Budget[] = ['guest', 'user', 'apiKey', 'admin'];

/**
 * What a per-address limit counts: an IPv4 address, or an IPv6 address's /64 — a client
 * controls at least a /64, so counting single IPv6 addresses would give it 2^64 budgets.
 */
export function clientNetwork(ip: string): string {
  const address = ip.split('%', 1)[0] ?? ip;
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * Guests pay by client address, users and admins by account. API keys pay from their
 * owner's API-key budget — one per account, apart from its browser sessions' — so more
 * keys never buy more calls.
 */
export function budgetOf(viewer: Viewer | null, clientIp: string): { budget: Budget; subject: string } {
  if (!viewer) return { budget: 'guest', subject: `ip:${clientNetwork(clientIp)}` };
  if (viewer.apiKey) return { budget: 'apiKey', subject: `user:${viewer.userId}` };
  return { budget: viewer.role === 'admin' ? 'admin' : 'user', subject: `user:${viewer.userId}` };
}
