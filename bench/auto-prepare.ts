/**
 * An experiment, not production code: `npm run bench -- --service-preload ./bench/auto-prepare.ts`
 * runs the measured service with every parameterized statement named by a hash of its
 * text, so `pg` prepares it once per connection and Postgres skips parse and planning
 * on every later use. It measures what prepared statements would buy before anyone
 * builds them into src/db/client.ts properly (which needs a bound on how many distinct
 * statements a connection keeps: this version keeps them all).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type pgModule from 'pg';

const pg = createRequire(import.meta.url)('pg') as typeof pgModule;
const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
const query = prototype.query;

prototype.query = function preparedQuery(
  this: unknown,
  config: unknown,
  values: unknown,
  ...rest: unknown[]
) {
  const named =
    typeof config === 'object' &&
    config !== null &&
    'text' in config &&
    typeof config.text === 'string' &&
    !('name' in config && config.name) &&
    Array.isArray(values) &&
    values.length > 0
      ? { ...config, name: `ap_${createHash('sha1').update(config.text).digest('base64url')}` }
      : config;
  return Reflect.apply(query, this, [named, values, ...rest]);
};
