/**
 * How stale a credential's recorded last use (a session's, an API key's) may get: a busy
 * credential costs one write a minute, not one per request.
 */
const lastUsedResolutionMs = 60_000;

/** A last use recorded before this is stale enough to record again. */
export const staleUseBefore = (now: Date) => new Date(now.getTime() - lastUsedResolutionMs);
