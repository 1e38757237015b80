import { type Column, sql } from 'drizzle-orm';
import {
  boolean,
  char,
  check,
  date,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * Millisecond precision: JavaScript Dates hold milliseconds, and cursors built
 * from a Date must compare equal to the stored value or pages skip rows.
 */
const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
};

export const userRole = pgEnum('user_role', ['user', 'admin']);

export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: userRole('role').notNull().default('user'),
    ...timestamps,
  },
  (t) => [
    // Case-insensitive uniqueness is enforced here so racing sign-ups cannot both win.
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    index('users_role_idx').on(t.role),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** The absolute end (SESSION_MAX_TTL after sign-in), however active the session is. */
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
    /** Recorded at most once a minute; the session idles out SESSION_IDLE_TTL after it. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Bumped by each renewal; a token carries the generation it was issued for (`gen`). */
    tokenGeneration: integer('token_generation').notNull().default(0),
    /** When the current generation was issued: the previous one is honoured shortly after. */
    renewedAt: timestamp('renewed_at', { withTimezone: true, precision: 3 }),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [
    index('sessions_user_id_idx').on(t.userId),
    // The purge finds dead sessions by these three (src/auth/session-purge.ts).
    index('sessions_expires_at_idx').on(t.expiresAt),
    index('sessions_last_used_at_idx').on(t.lastUsedAt),
    index('sessions_revoked_at_idx')
      .on(t.revokedAt)
      .where(sql`${t.revokedAt} is not null`),
  ],
);

/**
 * Partner-system credentials. Only a SHA-256 of the secret is stored: secrets are
 * long random strings, so a fast hash is safe and lets a request find its key by
 * an indexed lookup.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The secret's first characters, shown in listings so owners can tell keys apart. */
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    write: boolean('write').notNull().default(false),
    /** Requests with the key must name a trusted document (`documentId`), never send a text. */
    trustedDocumentsOnly: boolean('trusted_documents_only').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, precision: 3 }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    uniqueIndex('api_keys_secret_hash_key').on(t.secretHash),
    index('api_keys_user_id_idx').on(t.userId),
  ],
);

export const companies = pgTable(
  'companies',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    website: text('website'),
    industry: text('industry'),
    /** ISO 3166-1 alpha-2, upper case. */
    country: char('country', { length: 2 }),
    foundedYear: integer('founded_year'),
    description: text('description'),
    createdById: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('companies_name_lower_key').on(sql`lower(${t.name})`),
    index('companies_created_at_idx').on(t.createdAt, t.id),
  ],
);

/*
 * The sort keys read as their column does (mapWith): Drizzle then carries them as text
 * inside a nested relational query's JSON, as at the top level, so a cursor holds the
 * exact value. Without it a nested list's price key became a JSON number, rounded past
 * 15 digits, and its cursors named a position no row has.
 */

/** An acquisition's announcement date for ordering: never null, unknown dates come first. */
export const announcedOnSortKey = (announcedOn: Column) =>
  sql`coalesce(${announcedOn}, '-infinity'::date)`.mapWith(announcedOn);

/** An acquisition's price for ordering: never null, undisclosed prices sort below every real one. */
export const priceSortKey = (priceAmount: Column) => sql`coalesce(${priceAmount}, -1)`.mapWith(priceAmount);

export const acquisitionStatus = pgEnum('acquisition_status', [
  'rumored',
  'announced',
  'pending',
  'completed',
  'cancelled',
]);

export const acquisitions = pgTable(
  'acquisitions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    acquirerId: integer('acquirer_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'restrict' }),
    targetId: integer('target_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'restrict' }),
    status: acquisitionStatus('status').notNull(),
    /** Null when the price was not disclosed. */
    priceAmount: numeric('price_amount', { precision: 20, scale: 2 }),
    /** ISO 4217, upper case; required with a price. */
    currency: char('currency', { length: 3 }),
    announcedOn: date('announced_on', { mode: 'string' }),
    closedOn: date('closed_on', { mode: 'string' }),
    notes: text('notes'),
    createdById: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [
    check('acquisitions_distinct_parties', sql`${t.acquirerId} <> ${t.targetId}`),
    check('acquisitions_price_non_negative', sql`${t.priceAmount} is null or ${t.priceAmount} >= 0`),
    check('acquisitions_price_has_currency', sql`${t.priceAmount} is null or ${t.currency} is not null`),
    check(
      'acquisitions_closed_after_announced',
      sql`${t.closedOn} is null or ${t.announcedOn} is null or ${t.closedOn} >= ${t.announcedOn}`,
    ),
    // Pages are ordered by these sort keys rather than by the nullable columns themselves: a
    // cursor cannot page past a null, so an unknown date sorts as the earliest and an
    // undisclosed price below zero. Each index matches one ordering, with the id
    // tie-breaker, so a page is an index range scan.
    // The acquirer and target indexes serve a company's deals, newest first (and the foreign
    // keys). Past the id they carry the columns a deal list shows, so a page is read from the
    // index alone: the planner cannot know how many deals a company has when it plans the
    // nested query, and without this it prefers reading them all and sorting, which is slow
    // for the few companies with thousands of deals. (Trailing key columns rather than
    // INCLUDE, which drizzle-kit cannot express.)
    index('acquisitions_acquirer_idx').on(
      t.acquirerId,
      announcedOnSortKey(t.announcedOn),
      t.id,
      t.status,
      t.priceAmount,
      t.currency,
      t.announcedOn,
      t.closedOn,
      t.targetId,
    ),
    index('acquisitions_target_idx').on(
      t.targetId,
      announcedOnSortKey(t.announcedOn),
      t.id,
      t.status,
      t.priceAmount,
      t.currency,
      t.announcedOn,
      t.closedOn,
      t.acquirerId,
    ),
    index('acquisitions_status_idx').on(t.status),
    index('acquisitions_announced_on_idx').on(announcedOnSortKey(t.announcedOn), t.id),
    index('acquisitions_price_idx').on(priceSortKey(t.priceAmount), t.id),
    index('acquisitions_created_at_idx').on(t.createdAt, t.id),
    index('acquisitions_currency_idx').on(t.currency),
  ],
);
