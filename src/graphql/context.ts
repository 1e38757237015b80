import type { ViewerAccount } from '../auth/account.js';
import type { AuthServices } from '../auth/services.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { LiveEvents } from './events/live-events.js';

export type Role = 'user' | 'admin';

/** Who is making the request, resolved from a session token or API key. */
export interface Viewer {
  userId: number;
  role: Role;
  /** The session a token names; absent for API keys. */
  sessionId?: string;
  /**
   * The session token presented (absent for API keys): the renewal it was issued by, and
   * whether it is past `exp` (a bearer token then runs refreshSession and nothing else).
   */
  token?: { generation: number; expired: boolean };
  /** Set when the request authenticated with an API key. */
  apiKey?: { id: number; write: boolean; trustedDocumentsOnly: boolean };
  /** The user's own fields as the credential check read them (what `me` answers with). */
  account?: ViewerAccount;
}

export interface Context {
  db: Database;
  /** Password hashing, tokens and cookie settings. */
  auth: AuthServices;
  viewer: Viewer | null;
  requestId: string;
  logger: Logger;
  request: Request;
  /** The client's address as the HTTP layer resolved it (TRUST_PROXY), or null if unknown. */
  clientIp: string | null;
  /** Set-Cookie values the response must carry (sign-in, sign-out, renewal). */
  responseCookies: string[];
  /** Publishes committed changes and serves subscriptions. */
  live: LiveEvents;
}
