import { describe, expect, it } from 'vitest';
import { resolveClientIp } from '../../src/http/plugins/client-ip.js';
import { clientNetwork } from '../../src/http/rate-limit/budgets.js';

describe('resolveClientIp', () => {
  it('uses the socket address and ignores X-Forwarded-For by default', () => {
    expect(resolveClientIp('10.0.0.5', '203.0.113.9', 0)).toBe('10.0.0.5');
  });

  it('unwraps IPv4-mapped IPv6 socket addresses', () => {
    expect(resolveClientIp('::ffff:127.0.0.1', null, 0)).toBe('127.0.0.1');
  });

  it('believes as many entries from the right as there are trusted hops', () => {
    const header = '198.51.100.1, 203.0.113.2, 192.0.2.3';
    expect(resolveClientIp('10.0.0.5', header, 1)).toBe('192.0.2.3');
    expect(resolveClientIp('10.0.0.5', header, 2)).toBe('203.0.113.2');
    expect(resolveClientIp('10.0.0.5', header, 5)).toBe('198.51.100.1');
  });

  it('stops at an entry that is not an address', () => {
    expect(resolveClientIp('10.0.0.5', 'unknown, 192.0.2.3', 2)).toBe('192.0.2.3');
    expect(resolveClientIp('10.0.0.5', 'garbage', 1)).toBe('10.0.0.5');
  });

  it('falls back to the socket address without the header', () => {
    expect(resolveClientIp('10.0.0.5', null, 1)).toBe('10.0.0.5');
  });
});

describe('clientNetwork', () => {
  it('keeps IPv4 addresses whole', () => {
    expect(clientNetwork('203.0.113.9')).toBe('203.0.113.9');
  });

  it('groups IPv6 addresses by /64, however they are written', () => {
    expect(clientNetwork('2001:db8:1:2::5')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:0db8:0001:0002:ffff:0:0:1')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
