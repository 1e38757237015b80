import { defineConfig } from 'vitest/config';

/**
 * The integration suite runs once per database driver: PGlite always; the pg
 * and Neon drivers too when TEST_DATABASE_URL names a Postgres server.
 * Pure unit tests run once.
 */
const drivers = ['pglite', ...(process.env.TEST_DATABASE_URL ? ['pg', 'neon'] : [])];

export default defineConfig({
  // graphql 16 ships CJS and ESM copies; Vite would pick the ESM one for our code while
  // dependencies load the CJS one, and graphql refuses to mix them.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true as const, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      ...drivers.map((driver) => ({
        extends: true as const,
        test: {
          name: driver,
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**'],
          env: { TEST_DRIVER: driver },
          globalSetup: ['test/setup/database-template.ts'],
        },
      })),
    ],
  },
});
