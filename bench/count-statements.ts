/**
 * Preloaded (`node --import tsx --import ./bench/count-statements.ts …`) into a
 * separate, counting-only instance of a server: counts every statement the `pg`
 * driver sends (BEGIN and COMMIT included, as Postgres would see them) and
 * answers the count over the IPC channel bench/run.ts opens. The measured
 * instances never carry this hook.
 */
import { createRequire } from 'node:module';
import type pgModule from 'pg';

// The service imports pg as ESM, which wraps this same CommonJS instance, so patching
// the prototype here reaches every client its pool creates.
const pg = createRequire(import.meta.url)('pg') as typeof pgModule;
const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
const query = prototype.query;
let statements = 0;
prototype.query = function countedQuery(this: unknown, ...args: unknown[]) {
  statements += 1;
  return Reflect.apply(query, this, args);
};

process.on('message', (message) => {
  if (message === 'statements') process.send?.({ statements });
});
