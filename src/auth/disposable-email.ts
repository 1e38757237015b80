import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';

// The package rebuilds its Set on every call; build it once, on first use.
let blocklist: Set<string> | undefined;

/** True for addresses at throwaway-mailbox providers (the package's community-maintained list). */
export function isDisposableEmail(email: string): boolean {
  blocklist ??= disposableEmailBlocklistSet();
  return blocklist.has(
    email
      .slice(email.lastIndexOf('@') + 1)
      .trim()
      .toLowerCase(),
  );
}
