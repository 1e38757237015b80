export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date string, such as 2007-12-03, compliant with the `full-date` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  Date: { input: string; output: string; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
};

/** One company buying, or setting out to buy, another. */
export type Acquisition = Node & {
  __typename?: 'Acquisition';
  /** The buyer. */
  acquirer: Company;
  /** When the deal was announced (or first reported); null when unknown. */
  announcedOn?: Maybe<Scalars['Date']['output']>;
  /** When the deal closed; null while it is open, when it was cancelled, or when unknown. */
  closedOn?: Maybe<Scalars['Date']['output']>;
  /** When the acquisition was recorded. */
  createdAt: Scalars['DateTime']['output'];
  /** Who recorded the acquisition. Admins only: null for everyone else, and once the account is deleted. */
  createdBy?: Maybe<User>;
  /** Opaque global id: pass it to `node(id:)` or to any field taking an ID. */
  id: Scalars['ID']['output'];
  /** Free-form remarks and sources. */
  notes?: Maybe<Scalars['String']['output']>;
  /** The reported price; null when it was not disclosed. */
  price?: Maybe<Money>;
  /** How far the deal has got. */
  status: AcquisitionStatus;
  /** The company being bought. */
  target: Company;
  /** When the record last changed. */
  updatedAt: Scalars['DateTime']['output'];
};

/** One page of acquisitions. */
export type AcquisitionConnection = {
  __typename?: 'AcquisitionConnection';
  /** The results on this page, in order. */
  edges: Array<AcquisitionEdge>;
  /** Cursors and flags for fetching the neighbouring pages. */
  pageInfo: PageInfo;
  /** How many acquisitions match, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** One acquisition on a page, with its cursor. */
export type AcquisitionEdge = {
  __typename?: 'AcquisitionEdge';
  /** Opaque position of this result, for `after` or `before`. */
  cursor: Scalars['String']['output'];
  /** The result itself. */
  node: Acquisition;
};

/** An acquisition was created, changed or deleted (sent once the write has committed). */
export type AcquisitionEvent = {
  __typename?: 'AcquisitionEvent';
  /** The acquisition as the write left it; null after a delete. Selecting its companies (or its creator) reads it again when the event is delivered. */
  acquisition?: Maybe<Acquisition>;
  /** The acquisition’s global id, also after a delete. */
  acquisitionId: Scalars['ID']['output'];
  /** When the write committed. */
  at: Scalars['DateTime']['output'];
  /** What the write did. */
  kind: ChangeKind;
};

/** Which acquisition events to receive; every condition given applies. */
export type AcquisitionEventFilter = {
  /** Only deals this company takes part in, as acquirer or target (a Company id). */
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Only acquisitions in any of these statuses after the write (omitted or empty: any status). */
  status?: InputMaybe<Array<AcquisitionStatus>>;
};

/** Conditions an acquisition must meet; every condition given applies. */
export type AcquisitionFilter = {
  /** Bought by this company (a Company id). */
  acquirerId?: InputMaybe<Scalars['ID']['input']>;
  /** Announced on or after this day. */
  announcedFrom?: InputMaybe<Scalars['Date']['input']>;
  /** Announced on or before this day. */
  announcedTo?: InputMaybe<Scalars['Date']['input']>;
  /** Priced in this ISO 4217 currency. */
  currency?: InputMaybe<Scalars['String']['input']>;
  /** Price amount at most this (a decimal string); undisclosed prices never match. */
  maxPrice?: InputMaybe<Scalars['String']['input']>;
  /** Price amount at least this (a decimal string); undisclosed prices never match. */
  minPrice?: InputMaybe<Scalars['String']['input']>;
  /** Any of these statuses (omitted or empty: any status). */
  status?: InputMaybe<Array<AcquisitionStatus>>;
  /** Of this target company (a Company id). */
  targetId?: InputMaybe<Scalars['ID']['input']>;
};

/** How to sort acquisitions. */
export type AcquisitionOrder = {
  /** Which way. */
  direction: OrderDirection;
  /** What to sort by. */
  field: AcquisitionOrderField;
};

/** What acquisitions can be sorted by. Ties are broken by id, so pages never skip or repeat. */
export type AcquisitionOrderField =
  /** Announcement date; unknown dates count as the earliest (last when DESC). */
  | 'ANNOUNCED_ON'
  /** When the acquisition was recorded. */
  | 'CREATED_AT'
  /** Price amount, whatever the currency; undisclosed prices count as the lowest (last when DESC). */
  | 'PRICE';

/** How far an acquisition has got. */
export type AcquisitionStatus =
  /** Agreed and announced publicly. */
  | 'ANNOUNCED'
  /** Called off, withdrawn or blocked. */
  | 'CANCELLED'
  /** Closed: the acquirer owns the target. */
  | 'COMPLETED'
  /** Announced and awaiting approvals (shareholders, regulators). */
  | 'PENDING'
  /** Reported by the press, not confirmed by either party. */
  | 'RUMORED';

/** A credential for partner systems, sent as `x-api-key: <secret>` or `Authorization: Bearer <secret>`. The secret itself is never shown again after creation. */
export type ApiKey = Node & {
  __typename?: 'ApiKey';
  /** When the key was created. */
  createdAt: Scalars['DateTime']['output'];
  /** When the key stops working; null for never. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** Opaque global id. */
  id: Scalars['ID']['output'];
  /** When the key last authenticated a request (updated at most once a minute); null if never. */
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  /** What the owner calls this key. */
  name: Scalars['String']['output'];
  /** The first characters of the secret, to tell keys apart (e.g. in logs of the partner system). */
  prefix: Scalars['String']['output'];
  /** When the key was revoked; null while it is active. */
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  /** True when requests with the key must name a trusted document (`documentId`, see schema/persisted-documents.json); any other request is FORBIDDEN. True for every key while the deployment requires it (API_KEYS_TRUSTED_DOCUMENTS_ONLY), whatever the key was created with. */
  trustedDocumentsOnly: Scalars['Boolean']['output'];
  /** True when the key may call mutations; otherwise it is read-only (FORBIDDEN on writes). */
  write: Scalars['Boolean']['output'];
};

/** A session token. It is also set as an httpOnly `token` cookie; send it as `Authorization: Bearer <token>` from non-browser clients. */
export type AuthPayload = {
  __typename?: 'AuthPayload';
  /** When this token ends (TOKEN_TTL after issue). Before then, or within SESSION_IDLE_TTL of the session’s last use, `refreshSession` gives a fresh one; cookie sessions are renewed by themselves. */
  expiresAt: Scalars['DateTime']['output'];
  /** When the session ends however active it is (SESSION_MAX_TTL after sign-in); no token outlives it: sign in again after. */
  sessionExpiresAt: Scalars['DateTime']['output'];
  /** The session JWT (HS256), valid until `expiresAt`; renew it with `refreshSession`. */
  token: Scalars['String']['output'];
  /** The signed-in account. */
  user: User;
};

/** What a write did to an object. */
export type ChangeKind =
  /** The object was created. */
  | 'CREATED'
  /** The object was deleted. */
  | 'DELETED'
  /** The object was changed. */
  | 'UPDATED';

/** A company that buys or is bought. */
export type Company = Node & {
  __typename?: 'Company';
  /** Acquisitions of this company (as the target), newest announcement first by default; usually one, more when earlier deals fell through. */
  acquiredBy: AcquisitionConnection;
  /** Acquisitions this company made (as the acquirer), newest announcement first by default. */
  acquisitions: AcquisitionConnection;
  /** ISO 3166-1 alpha-2 code of the headquarters’ country, e.g. US. */
  country?: Maybe<Scalars['String']['output']>;
  /** When the company was recorded. */
  createdAt: Scalars['DateTime']['output'];
  /** Who recorded the company. Admins only: null for everyone else, and once the account is deleted. */
  createdBy?: Maybe<User>;
  /** What the company does. */
  description?: Maybe<Scalars['String']['output']>;
  /** Year the company was founded. */
  foundedYear?: Maybe<Scalars['Int']['output']>;
  /** Opaque global id: pass it to `node(id:)` or to any field taking an ID. */
  id: Scalars['ID']['output'];
  /** Industry, e.g. "Software". */
  industry?: Maybe<Scalars['String']['output']>;
  /** Name, unique regardless of letter case. */
  name: Scalars['String']['output'];
  /** When the record last changed. */
  updatedAt: Scalars['DateTime']['output'];
  /** Home page URL. */
  website?: Maybe<Scalars['String']['output']>;
};


/** A company that buys or is bought. */
export type CompanyAcquiredByArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<AcquisitionOrder>;
};


/** A company that buys or is bought. */
export type CompanyAcquisitionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<AcquisitionOrder>;
};

/** A change to one company (CompanyEvent) or to an acquisition it takes part in (AcquisitionEvent). */
export type CompanyActivity = AcquisitionEvent | CompanyEvent;

/** One page of companies. */
export type CompanyConnection = {
  __typename?: 'CompanyConnection';
  /** The results on this page, in order. */
  edges: Array<CompanyEdge>;
  /** Cursors and flags for fetching the neighbouring pages. */
  pageInfo: PageInfo;
  /** How many companies match, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** One company on a page, with its cursor. */
export type CompanyEdge = {
  __typename?: 'CompanyEdge';
  /** Opaque position of this result, for `after` or `before`. */
  cursor: Scalars['String']['output'];
  /** The result itself. */
  node: Company;
};

/** A company was created, changed or deleted (sent once the write has committed). */
export type CompanyEvent = {
  __typename?: 'CompanyEvent';
  /** When the write committed. */
  at: Scalars['DateTime']['output'];
  /** The company as the write left it; null after a delete. Selecting its acquisitions (or its creator) reads it again when the event is delivered. */
  company?: Maybe<Company>;
  /** The company’s global id, also after a delete. */
  companyId: Scalars['ID']['output'];
  /** What the write did. */
  kind: ChangeKind;
};

/** How to sort companies. */
export type CompanyOrder = {
  /** Which way. */
  direction: OrderDirection;
  /** What to sort by. */
  field: CompanyOrderField;
};

/** What companies can be sorted by. Ties are broken by id, so pages never skip or repeat. */
export type CompanyOrderField =
  /** When the company was recorded. */
  | 'CREATED_AT'
  /** Name, ignoring letter case. */
  | 'NAME';

/** A new acquisition. */
export type CreateAcquisitionInput = {
  /** The buyer (a Company id). */
  acquirerId: Scalars['ID']['input'];
  /** When the deal was announced. */
  announcedOn?: InputMaybe<Scalars['Date']['input']>;
  /** When the deal closed; not before announcedOn. */
  closedOn?: InputMaybe<Scalars['Date']['input']>;
  /** Free-form remarks and sources, at most 10,000 characters. */
  notes?: InputMaybe<Scalars['String']['input']>;
  /** The reported price; omit when undisclosed. */
  price?: InputMaybe<MoneyInput>;
  /** How far the deal has got. */
  status: AcquisitionStatus;
  /** The company being bought (a Company id); not the acquirer. */
  targetId: Scalars['ID']['input'];
};

/** A new API key for the signed-in user. */
export type CreateApiKeyInput = {
  /** When the key should stop working (in the future); omit for a key that does not expire. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** What to call the key, 2–255 characters. */
  name: Scalars['String']['input'];
  /** Hold the key to the trusted documents: its requests must send a `documentId` (schema/persisted-documents.json), never a query text. Defaults to false. */
  trustedDocumentsOnly?: InputMaybe<Scalars['Boolean']['input']>;
  /** Allow mutations with this key. Defaults to false: read-only. */
  write?: InputMaybe<Scalars['Boolean']['input']>;
};

/** A new company. */
export type CreateCompanyInput = {
  /** ISO 3166-1 alpha-2 country code, e.g. US. */
  country?: InputMaybe<Scalars['String']['input']>;
  /** What the company does, at most 5,000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Year founded; not in the future. */
  foundedYear?: InputMaybe<Scalars['Int']['input']>;
  /** Industry, at most 100 characters. */
  industry?: InputMaybe<Scalars['String']['input']>;
  /** Name, at most 200 characters; unique regardless of letter case. */
  name: Scalars['String']['input'];
  /** Home page, an http(s) URL. */
  website?: InputMaybe<Scalars['String']['input']>;
};

/** A new key and its secret. Store the secret now: it is not kept and cannot be shown again. */
export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  /** The new key. */
  apiKey: ApiKey;
  /** The secret to send with requests; shown only this once. */
  secret: Scalars['String']['output'];
};

/** An amount of money in one currency. */
export type Money = {
  __typename?: 'Money';
  /** Decimal string with two places, e.g. "26200000000.00" (a string, so no precision is lost). */
  amount: Scalars['String']['output'];
  /** ISO 4217 currency code, e.g. USD. */
  currency: Scalars['String']['output'];
};

/** An amount of money in one currency. */
export type MoneyInput = {
  /** Non-negative decimal string with at most two places, e.g. "1650000000" or "19.99". */
  amount: Scalars['String']['input'];
  /** ISO 4217 currency code, e.g. USD (any letter case). */
  currency: Scalars['String']['input'];
};

/** Every write: accounts, API keys, companies and acquisitions. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Records an acquisition. Any signed-in user, or an API key with write access. */
  createAcquisition: Acquisition;
  /** Creates an API key acting as you. Needs a signed-in session: a key cannot mint further keys. An account holds at most API_KEYS_PER_ACCOUNT (default 10) live keys; beyond that this is a CONFLICT until one is revoked or expires. The secret is returned once. */
  createApiKey: CreatedApiKey;
  /** Records a company. Any signed-in user, or an API key with write access. A taken name is a CONFLICT. */
  createCompany: Company;
  /** Deletes an acquisition and returns it as it was. Admins only. */
  deleteAcquisition: Acquisition;
  /** Deletes a company and returns it as it was. Admins only. A company that still takes part in acquisitions is a CONFLICT. */
  deleteCompany: Company;
  /** Deletes an account (yours, or any for admins) with its sessions and API keys; returns it as it was. The last admin cannot be deleted. Needs a signed-in session: FORBIDDEN for API keys. */
  deleteUser: User;
  /** Renews the current session: a fresh token (and cookie) valid TOKEN_TTL more, never past the session’s end. Accepts the token even after its `expiresAt`, while the session lives (used within SESSION_IDLE_TTL). The token it replaces keeps working for one minute, for requests already under way, then is refused; it cannot be refreshed again. Needs a signed-in session: FORBIDDEN for API keys. */
  refreshSession: AuthPayload;
  /** Revokes one of your API keys (admins: anyone’s) at once; requests with it get UNAUTHENTICATED. Revoking a revoked key returns it unchanged. Needs a signed-in session: FORBIDDEN for API keys. */
  revokeApiKey: ApiKey;
  /** Ends one of your live sessions at once (its tokens are refused from the next request) and returns it as it was. Any id that is not one of your live sessions is NOT_FOUND. Ending the current session also clears the cookie. Needs a signed-in session: FORBIDDEN for API keys. */
  revokeSession: Session;
  /** Starts a session (sets the `token` cookie). Wrong email and wrong password give the same UNAUTHENTICATED. */
  signIn: AuthPayload;
  /** Ends the current session at once (the token stops working even if replayed) and clears the cookie; a bearer token past its `expiresAt` may still do this. False for API keys, which have no session. */
  signOut: Scalars['Boolean']['output'];
  /** Ends every session of your account at once, the current one included, and clears the cookie; true once done. API keys are not sessions and keep working (revoke them with `revokeApiKey`). Needs a signed-in session: FORBIDDEN for API keys. */
  signOutEverywhere: Scalars['Boolean']['output'];
  /** Creates a USER account and signs it in (sets the `token` cookie). A taken email is a CONFLICT. */
  signUp: AuthPayload;
  /** Changes an acquisition and returns it. Its creator or an admin. */
  updateAcquisition: Acquisition;
  /** Changes a company and returns it. Its creator or an admin. */
  updateCompany: Company;
  /** Changes an account: your own, or any for admins. Only admins change roles. A new password signs the account’s other sessions out. Needs a signed-in session: FORBIDDEN for API keys. */
  updateUser: User;
};


/** Every write: accounts, API keys, companies and acquisitions. */
export type MutationCreateAcquisitionArgs = {
  input: CreateAcquisitionInput;
};


/** Every write: accounts, API keys, companies and acquisitions. */
export type MutationCreateApiKeyArgs = {
  input: CreateApiKeyInput;
};


/** Every write: accounts, API keys, companies and acquisitions. */
export type MutationCreateCompanyArgs = {
  input: CreateCompanyInput;
};


/** Every write: accounts, API keys, companies and acquisitions. */
export type MutationDeleteAcquisitionArgs = {
  id: Scalars['ID']['input'];
};


/** Every write: accounts, API keys, companies and acquisitions. */
export type MutationDeleteCompanyArgs = {
  id: Scalars['ID']['input'];
};


/** Every write: accounts, API keys, companies and acquisitions. */
export type MutationDeleteUserArgs = {
  id: Scalars['ID']['input'];
};


/** Every write: accounts, API keys, companies and acquisitions. */
export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


/** Every write: accounts, API keys, companies and acquisitions. */
export type MutationRevokeSessionArgs = {
  id: Scalars['ID']['input'];
};


/** Every write: accounts, API keys, companies and acquisitions. */
export type MutationSignInArgs = {
  input: SignInInput;
};


/** Every write: accounts, API keys, companies and acquisitions. */
export type MutationSignUpArgs = {
  input: SignUpInput;
};


/** Every write: accounts, API keys, companies and acquisitions. */
export type MutationUpdateAcquisitionArgs = {
  id: Scalars['ID']['input'];
  input: UpdateAcquisitionInput;
};


/** Every write: accounts, API keys, companies and acquisitions. */
export type MutationUpdateCompanyArgs = {
  id: Scalars['ID']['input'];
  input: UpdateCompanyInput;
};


/** Every write: accounts, API keys, companies and acquisitions. */
export type MutationUpdateUserArgs = {
  id: Scalars['ID']['input'];
  input: UpdateUserInput;
};

/** An object with a global id that `node(id:)` can fetch. */
export type Node = {
  /** Opaque global id: pass it to `node(id:)` or to any field taking an ID. */
  id: Scalars['ID']['output'];
};

/** Which way a list is sorted. */
export type OrderDirection =
  /** Smallest, earliest or A first. */
  | 'ASC'
  /** Largest, latest or Z first. */
  | 'DESC';

/** Where a page sits in the whole list, and the cursors to move from it. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last result on this page; null when the page is empty. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** True when more results follow this page (pass `endCursor` as `after`). */
  hasNextPage: Scalars['Boolean']['output'];
  /** True when results precede this page (pass `startCursor` as `before`). */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** Cursor of the first result on this page; null when the page is empty. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** Every read: the signed-in user, users, companies and acquisitions. */
export type Query = {
  __typename?: 'Query';
  /** One acquisition by id; null when there is none. Public. */
  acquisition?: Maybe<Acquisition>;
  /** Acquisitions, newest announcement first unless `orderBy` says otherwise; at most 100 per page. Public. */
  acquisitions: AcquisitionConnection;
  /** Your API keys, newest first, revoked and expired ones included. */
  apiKeys: Array<ApiKey>;
  /** Companies, by name unless `orderBy` says otherwise; at most 100 per page. Public. */
  companies: CompanyConnection;
  /** One company by id; null when there is none. Public. */
  company?: Maybe<Company>;
  /** The signed-in user, or null for guests. */
  me?: Maybe<User>;
  /** The object with this global id, of any type, or null when there is none or you may not see it (the two are answered alike). */
  node?: Maybe<Node>;
  /** Your live sessions (not revoked, not ended), most recently used first. Needs a signed-in session: FORBIDDEN for API keys. */
  sessions: Array<Session>;
  /** One account: your own, or any for admins (null when an admin asks for an id that does not exist). */
  user?: Maybe<User>;
  /** Every account, oldest first; at most 100 per page. Admins only. */
  users: UserConnection;
};


/** Every read: the signed-in user, users, companies and acquisitions. */
export type QueryAcquisitionArgs = {
  id: Scalars['ID']['input'];
};


/** Every read: the signed-in user, users, companies and acquisitions. */
export type QueryAcquisitionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AcquisitionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<AcquisitionOrder>;
};


/** Every read: the signed-in user, users, companies and acquisitions. */
export type QueryCompaniesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<CompanyOrder>;
  search?: InputMaybe<Scalars['String']['input']>;
};


/** Every read: the signed-in user, users, companies and acquisitions. */
export type QueryCompanyArgs = {
  id: Scalars['ID']['input'];
};


/** Every read: the signed-in user, users, companies and acquisitions. */
export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


/** Every read: the signed-in user, users, companies and acquisitions. */
export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


/** Every read: the signed-in user, users, companies and acquisitions. */
export type QueryUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  role?: InputMaybe<Role>;
  search?: InputMaybe<Scalars['String']['input']>;
};

/** What an account may do. */
export type Role =
  /** Manages users and every record. */
  | 'ADMIN'
  /** Reads everything public; creates and edits its own records. */
  | 'USER';

/** A signed-in session of yours: one sign-in on one device, kept alive by use (see `sessions`). API keys are not sessions. */
export type Session = {
  __typename?: 'Session';
  /** When the session was signed in. */
  createdAt: Scalars['DateTime']['output'];
  /** True for the session making this request. */
  current: Scalars['Boolean']['output'];
  /** When the session ends however active it is (SESSION_MAX_TTL after sign-in). Unused for SESSION_IDLE_TTL, it ends sooner. */
  expiresAt: Scalars['DateTime']['output'];
  /** Opaque global id: pass it to `revokeSession`. */
  id: Scalars['ID']['output'];
  /** When the session ends unless it is used before: SESSION_IDLE_TTL after `lastUsedAt`, at most `expiresAt`. */
  idleExpiresAt: Scalars['DateTime']['output'];
  /** The client address it signed in from (as TRUST_PROXY allows); null if unknown. */
  ip?: Maybe<Scalars['String']['output']>;
  /** When the session last made a request (recorded at most once a minute). */
  lastUsedAt: Scalars['DateTime']['output'];
  /** The User-Agent header it signed in with (first 512 characters); null if none was sent. */
  userAgent?: Maybe<Scalars['String']['output']>;
};

/** Credentials of an existing account. */
export type SignInInput = {
  /** Sign-in address (any letter case). */
  email: Scalars['String']['input'];
  /** The account password. */
  password: Scalars['String']['input'];
};

/** A new account. Its role is always USER. */
export type SignUpInput = {
  /** Sign-in address, at most 255 characters; not a disposable-mailbox domain. */
  email: Scalars['String']['input'];
  /** Display name, 2–255 characters. */
  name: Scalars['String']['input'];
  /** 8–128 characters. */
  password: Scalars['String']['input'];
};

/** Live changes to companies and acquisitions, over Server-Sent Events or graphql-ws on /graphql. Public, like the reads. */
export type Subscription = {
  __typename?: 'Subscription';
  /** Every acquisition created, changed or deleted from now on, once the write has committed. Public. */
  acquisitionEvents: AcquisitionEvent;
  /** Changes to one company and to every acquisition it takes part in (or leaves, when an update moves the deal to other companies), from now on, once each write has committed. Public. NOT_FOUND when there is no such company. */
  companyEvents: CompanyActivity;
};


/** Live changes to companies and acquisitions, over Server-Sent Events or graphql-ws on /graphql. Public, like the reads. */
export type SubscriptionAcquisitionEventsArgs = {
  filter?: InputMaybe<AcquisitionEventFilter>;
};


/** Live changes to companies and acquisitions, over Server-Sent Events or graphql-ws on /graphql. Public, like the reads. */
export type SubscriptionCompanyEventsArgs = {
  id: Scalars['ID']['input'];
};

/** Changes to an acquisition: omitted fields stay as they are, null clears an optional one. */
export type UpdateAcquisitionInput = {
  /** The buyer (a Company id). */
  acquirerId?: InputMaybe<Scalars['ID']['input']>;
  /** When the deal was announced; null when unknown. */
  announcedOn?: InputMaybe<Scalars['Date']['input']>;
  /** When the deal closed; null while open or unknown. */
  closedOn?: InputMaybe<Scalars['Date']['input']>;
  /** Free-form remarks, at most 10,000 characters; null clears them. */
  notes?: InputMaybe<Scalars['String']['input']>;
  /** The reported price; null when undisclosed. */
  price?: InputMaybe<MoneyInput>;
  /** How far the deal has got. */
  status?: InputMaybe<AcquisitionStatus>;
  /** The company being bought (a Company id); not the acquirer. */
  targetId?: InputMaybe<Scalars['ID']['input']>;
};

/** Changes to a company: omitted fields stay as they are, null clears an optional one. */
export type UpdateCompanyInput = {
  /** ISO 3166-1 alpha-2 country code, e.g. US. */
  country?: InputMaybe<Scalars['String']['input']>;
  /** What the company does, at most 5,000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Year founded; not in the future. */
  foundedYear?: InputMaybe<Scalars['Int']['input']>;
  /** Industry, at most 100 characters. */
  industry?: InputMaybe<Scalars['String']['input']>;
  /** Name, at most 200 characters; unique regardless of letter case. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Home page, an http(s) URL. */
  website?: InputMaybe<Scalars['String']['input']>;
};

/** Changes to an account; omitted fields stay as they are. */
export type UpdateUserInput = {
  /** Required with `password` when changing your own password; admins resetting another account omit it. */
  currentPassword?: InputMaybe<Scalars['String']['input']>;
  /** New sign-in address; must not belong to another account. */
  email?: InputMaybe<Scalars['String']['input']>;
  /** New display name, 2–255 characters. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** New password, 8–128 characters. Signs the account's other sessions out. */
  password?: InputMaybe<Scalars['String']['input']>;
  /** New role. Admins only; the last admin cannot be demoted. */
  role?: InputMaybe<Role>;
};

/** An account. Visible to itself and to admins only: anyone else gets FORBIDDEN (UNAUTHENTICATED when signed out). */
export type User = Node & {
  __typename?: 'User';
  /** When the account was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Sign-in address, as entered (compared case-insensitively). */
  email: Scalars['String']['output'];
  /** Opaque global id. */
  id: Scalars['ID']['output'];
  /** Display name. */
  name: Scalars['String']['output'];
  /** What the account may do. */
  role: Role;
  /** When the account last changed. */
  updatedAt: Scalars['DateTime']['output'];
};

/** One page of accounts. */
export type UserConnection = {
  __typename?: 'UserConnection';
  /** The results on this page, in order. */
  edges: Array<UserEdge>;
  /** Cursors and flags for fetching the neighbouring pages. */
  pageInfo: PageInfo;
  /** How many accounts match, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** One account on a page, with its cursor. */
export type UserEdge = {
  __typename?: 'UserEdge';
  /** Opaque position of this result, for `after` or `before`. */
  cursor: Scalars['String']['output'];
  /** The result itself. */
  node: User;
};
