export type TestDriver = 'pglite' | 'pg' | 'neon';

/** The drivers a test run covers: PGlite always; pg and Neon too when TEST_DATABASE_URL names a Postgres server. */
export const runDrivers: readonly TestDriver[] = [
  'pglite',
  ...(process.env.TEST_DATABASE_URL ? (['pg', 'neon'] as const) : []),
];
