import { asc, eq } from 'drizzle-orm';
import { seedBulk } from '../../src/db/bulk-seed.js';
import type { Database } from '../../src/db/client.js';
import { acquisitions, apiKeys, companies, users } from '../../src/db/schema.js';
import { seedCurated } from '../../src/db/seed.js';
import { signUp } from './accounts.js';
import { globalId } from './domain.js';
import type { TwoPaths } from './two-paths.js';

export const viewerKinds = ['guest', 'user', 'admin', 'readKey', 'writeKey'] as const;
export type ViewerKind = (typeof viewerKinds)[number];

export interface DifferentialData {
  /** Global ids of the rows that exist, by GraphQL type. */
  ids: Map<string, string[]>;
  /** Request headers that make each kind of viewer. */
  viewers: Record<ViewerKind, Record<string, string>>;
  /** The company that made the most acquisitions: the longest nested lists. */
  busiestCompany: string;
}

/**
 * Names whose text must survive JSON escaping, LIKE patterns and case folding; inserted in
 * one statement, so they share created_at (ties broken by id).
 */
const oddCompanyNames = [
  'Odd "Quotes" \\ 100%_Co',
  "O'Brien & Sons",
  'Line\nBreak\tTab Ltd',
  'Ünïcödé GmbH ☃',
  '🚀 Rocket Emoji Inc',
  'Straße AG',
  'İstanbul Holding',
  '  Spaced Out  ',
  '%',
  '_',
  '\\',
  'Lonely Co',
];

async function seedOddRows(db: Database, recordedBy: number): Promise<void> {
  const odd = await db
    .insert(companies)
    .values(
      oddCompanyNames.map((name, i) => ({
        name,
        website: i % 3 === 0 ? null : `https://odd-${i}.example.com`,
        industry: i % 4 === 0 ? null : 'Odd "industry" \\ %',
        country: i % 5 === 0 ? null : 'DE',
        foundedYear: i % 2 === 0 ? null : 1990 + i,
        description: i % 3 === 1 ? 'multi\nline\tdescription ✓ "q" \\' : null,
        createdById: i % 2 === 0 ? recordedBy : null,
      })),
    )
    .returning({ id: companies.id, name: companies.name });
  const id = (name: string) => odd.find((row) => row.name === name)!.id;
  const [first, second] = await db
    .select({ id: companies.id })
    .from(companies)
    .orderBy(asc(companies.id))
    .limit(2);
  const quotes = id(oddCompanyNames[0]!);
  const obrien = id(oddCompanyNames[1]!);
  const rocket = id(oddCompanyNames[4]!);
  // 'Lonely Co' takes part in no deal.
  await db.insert(acquisitions).values([
    // A currency without a price; neither; no dates at all.
    { acquirerId: quotes, targetId: first!.id, status: 'rumored', priceAmount: null, currency: 'EUR' },
    { acquirerId: quotes, targetId: second!.id, status: 'announced', priceAmount: null, currency: null },
    { acquirerId: obrien, targetId: quotes, status: 'pending', announcedOn: null, closedOn: null },
    // Equal sort keys: the same day and price three times.
    ...[first!.id, second!.id, obrien].map((targetId) => ({
      acquirerId: rocket,
      targetId,
      status: 'completed' as const,
      priceAmount: '1000000.00',
      currency: 'USD',
      announcedOn: '2015-07-04',
      closedOn: '2015-07-04',
      notes: 'tab\there "q" \\ 100%_ ☃ 🚀\nline two',
      createdById: recordedBy,
    })),
    // The extremes of numeric(20,2).
    { acquirerId: obrien, targetId: rocket, status: 'cancelled', priceAmount: '0.00', currency: 'JPY' },
    {
      acquirerId: rocket,
      targetId: quotes,
      status: 'completed',
      priceAmount: '999999999999999999.99',
      currency: 'CHF',
      announcedOn: '1990-01-01',
    },
  ]);
}

async function createKey(paths: TwoPaths, headers: Record<string, string>, write: boolean) {
  const { body } = await paths.gql<{ createApiKey: { secret: string } }>(
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
    { input: { name: write ? 'writer "key" ☃' : 'reader key', write } },
    headers,
  );
  const secret = body.data?.createApiKey.secret;
  if (!secret) throw new Error(`createApiKey failed: ${JSON.stringify(body.errors)}`);
  return { 'x-api-key': secret };
}

async function idsOf(db: Database): Promise<Map<string, string[]>> {
  const rows = async (
    type: string,
    table: typeof companies | typeof acquisitions | typeof users | typeof apiKeys,
  ) =>
    [
      type,
      (await db.select({ id: table.id }).from(table).orderBy(asc(table.id))).map((row) =>
        globalId(type, row.id),
      ),
    ] as const;
  return new Map(
    await Promise.all([
      rows('Company', companies),
      rows('Acquisition', acquisitions),
      rows('User', users),
      rows('ApiKey', apiKeys),
    ]),
  );
}

/**
 * The data both paths read: the curated acquisitions, a small generated set, and rows with
 * awkward values (see seedOddRows); accounts made through the real signUp and createApiKey
 * mutations, the admin promoted in the database. Fixed emails, so a seed replays the same.
 */
export async function seedDifferentialData(paths: TwoPaths): Promise<DifferentialData> {
  const { db } = paths.database;
  await seedCurated(db);
  await seedBulk(db, { companies: 30, acquisitions: 160, users: 2, seed: 11 }, 'not-a-real-hash');
  const user = await signUp(paths, { name: 'Zoë "Q" O’Neil 🚀', email: 'differential-user@example.com' });
  const admin = await signUp(paths, { name: 'Differential Admin', email: 'differential-admin@example.com' });
  await db.update(users).set({ role: 'admin' }).where(eq(users.id, admin.userId));
  await seedOddRows(db, admin.userId);
  const viewers: Record<ViewerKind, Record<string, string>> = {
    guest: {},
    user: user.headers,
    admin: admin.headers,
    readKey: await createKey(paths, user.headers, false),
    writeKey: await createKey(paths, user.headers, true),
  };
  await createKey(paths, admin.headers, false);
  const busiest = await db.execute<{ id: number }>(
    'select acquirer_id as id from acquisitions group by acquirer_id order by count(*) desc, acquirer_id limit 1',
  );
  const busiestId = Number((busiest as unknown as { rows: { id: number }[] }).rows[0]!.id);
  return { ids: await idsOf(db), viewers, busiestCompany: globalId('Company', busiestId) };
}
