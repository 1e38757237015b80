import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';

/**
 * Distinct statements one connection prepares at most. Selection sets make the SQL
 * text vary with each query shape, so an unbounded cache would grow with whatever
 * clients send; past the cap, new texts run unnamed (parsed and planned each time),
 * as every statement did before, while the ones already prepared stay prepared.
 */
export const maxPreparedStatementsPerConnection = 200;

type Query = (config: unknown, values?: unknown, ...rest: unknown[]) => unknown;

interface QueryConfig {
  text: string;
  name?: string;
  values?: unknown[];
}

const isUnnamedQueryConfig = (config: unknown): config is QueryConfig =>
  typeof config === 'object' &&
  config !== null &&
  typeof (config as QueryConfig).text === 'string' &&
  !(config as QueryConfig).name;

/**
 * Names of the texts seen lately. A compiled read's text is 1–2 kB, built anew for every
 * request: hashing it cost ~2 % of the busy time on the Q4 benchmark, a lookup almost
 * nothing. Bounded like the prepared statements themselves.
 */
const knownNames = new Map<string, string>();
const maxKnownNames = 1000;

/** The statement's name: a hash of its text, so the same text gets the same name on every connection. */
export function statementName(text: string): string {
  let name = knownNames.get(text);
  if (name === undefined) {
    name = `s_${createHash('sha1').update(text).digest('base64url')}`;
    // Starting over when full keeps this trivial; the texts in use come back at once.
    if (knownNames.size >= maxKnownNames) knownNames.clear();
    knownNames.set(text, name);
  }
  return name;
}

/**
 * Makes `client` send every parameterized statement as a named prepared statement:
 * Postgres then parses and plans each distinct text once per connection instead of
 * on every request (on the benchmark's reads, 15–55 % of Postgres's CPU per request).
 * Statements without parameters (BEGIN/COMMIT, the migrator's DDL, health pings) are
 * left as simple queries: the extended protocol would refuse multi-statement texts.
 * Prepared statements outlive transactions, and pg re-parses a name whose Parse failed.
 */
export function prepareParameterizedStatements(
  client: ClientBase,
  cap: number = maxPreparedStatementsPerConnection,
): void {
  const prepared = new Set<string>();
  const query = client.query.bind(client) as Query;
  const named: Query = (config, values, ...rest) => {
    if (!isUnnamedQueryConfig(config)) return query(config, values, ...rest);
    const params = Array.isArray(values) ? values : config.values;
    if (!params?.length) return query(config, values, ...rest);
    const name = statementName(config.text);
    if (!prepared.has(name)) {
      if (prepared.size >= cap) return query(config, values, ...rest);
      prepared.add(name);
    }
    return query({ ...config, name }, values, ...rest);
  };
  (client as unknown as { query: Query }).query = named;
}
