import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { runDrivers } from './test/helpers/drivers.js';

/** The integration suite runs once per database driver of the run; pure unit tests run once. */

/**
 * No test relies on these: each waits for what it needs (a port, a log line, a row, a
 * process's exit), bounded by that thing's own deadline where it has one. They only stop a
 * test that hangs, and are far above what the slowest test takes on a loaded machine.
 */
const hungAfterMs = 300_000;

export default defineConfig({
  // graphql 16 ships CJS and ESM copies; Vite would pick the ESM one for our code while
  // dependencies load the CJS one, and graphql refuses to mix them.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    testTimeout: hungAfterMs,
    hookTimeout: hungAfterMs,
    // `expect.poll` waits for a condition (a log line, a row, a released connection); Vitest's
    // default gives up after 1 s, which a loaded machine overruns while the condition is coming.
    expect: { poll: { timeout: 60_000, interval: 50 } },
    // Vitest's default leaves one core idle (cores - 1); the integration files mostly wait on
    // the database server, the network stack or a child process.
    maxWorkers: availableParallelism(),
    // A worker keeps the modules it loaded for its next test file (each file still gets its
    // own database and server): loading the service's module graph again for every file cost
    // seconds each. Nothing in src keeps per-test state in a module; caches are keyed by what
    // they hold.
    isolate: false,
    projects: [
      { extends: true as const, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      ...runDrivers.map((driver) => ({
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
