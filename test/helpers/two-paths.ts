import { createMemoryBus } from '../../src/graphql/events/bus.js';
import { LiveEvents } from '../../src/graphql/events/live-events.js';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { createGraphQLHandler, type Yoga } from '../../src/http/yoga.js';
import { createLogger } from '../../src/logger.js';
import type { GraphQLResponse, TestApp } from './app.js';
import { manyAccountsEnv } from './accounts.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** One path's answer to a request, as a client receives it, with the SQL it cost. */
export interface Answer {
  status: number;
  body: GraphQLResponse['body'];
  /** The statements the request sent, the credential check's excluded. */
  statements: string[];
  /** The compiled statement failed in Postgres and the resolvers answered (the service logged it). */
  fellBack: boolean;
}

/**
 * How the compiled handler came by its answer, told by the statements the two handlers
 * sent for the same request:
 * - `one statement`: exactly one, and not one the resolvers sent (the compiled statement);
 * - `from the account`: none, where the resolvers needed some (`me` from the credential check);
 * - `fell back`: a compiled statement failed in Postgres and the resolvers answered (the
 *   service's own log line says so: counting statements cannot, since a request's resolvers
 *   may still run after its response — siblings of a field that failed — into the next one's);
 * - `declined`: the same statements as the resolvers (they answered);
 * - `no statement`: neither path read the database (`__typename`, a guest's `me`, refused requests).
 */
export type Service = 'one statement' | 'from the account' | 'fell back' | 'declined' | 'no statement';

export function serviceOf(compiled: Answer, resolved: Answer): Service {
  if (compiled.fellBack) return 'fell back';
  const [only, ...more] = compiled.statements;
  if (only !== undefined && more.length === 0 && !resolved.statements.includes(only)) return 'one statement';
  if (compiled.statements.length === 0) {
    return resolved.statements.length > 0 ? 'from the account' : 'no statement';
  }
  return 'declined';
}

/** What the viewer plugin sends to check a credential: not part of answering the operation. */
const credentialCheck = /from "(sessions|api_keys)" inner join "users"|^update "api_keys" set "last_used_at"/;

/**
 * The service's two execution paths side by side, in process: two Yoga handlers built by
 * createGraphQLHandler with the same configuration and the same database handle, one with
 * compiled reads and one without (the resolvers alone). Requests go through `yoga.fetch`,
 * so every plugin a client meets (limits, viewer, error masking) runs on both.
 */
export interface TwoPaths extends Pick<TestApp, 'gql'> {
  database: DatabaseHandle;
  compiled(request: GraphQLRequest): Promise<Answer>;
  resolved(request: GraphQLRequest): Promise<Answer>;
  close(): Promise<void>;
}

export async function startTwoPaths(): Promise<TwoPaths> {
  const testDatabase: TestDatabase = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
    ...manyAccountsEnv,
    ...testDatabase.env,
  });
  const sent: string[] = [];
  const database = await openDatabase(config.database, { onQuery: (sql) => sent.push(sql) });
  try {
    await database.migrate();
  } catch (error) {
    await database.close().catch(() => undefined);
    await testDatabase.drop();
    throw error;
  }
  // The service logs each compiled statement Postgres refused (use-compiled-reads.ts).
  let fallbacks = 0;
  const logger = createLogger(
    config,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line.includes('"compiled read failed; the resolvers answer it"')) fallbacks += 1;
        }
        done();
      },
    }),
  );
  // Reads only: no subscription is opened, no credential is checked again.
  const live = new LiveEvents(createMemoryBus(), config.subscriptions, async () => null, logger);
  const handler = (compiledReads: boolean) =>
    createGraphQLHandler({ config: { ...config, compiledReads }, logger, db: database.db, live });
  const compiled = handler(true);
  const resolved = handler(false);

  // One request at a time, so the statements sent meanwhile are this request's.
  const ask = async (yoga: Yoga, { query, variables, headers = {} }: GraphQLRequest): Promise<Answer> => {
    const before = sent.length;
    const fallbacksBefore = fallbacks;
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: JSON.parse(text) as Answer['body'],
      statements: sent.slice(before).filter((sql) => !credentialCheck.test(sql)),
      fellBack: fallbacks > fallbacksBefore,
    };
  };

  return {
    database,
    // A request to the resolvers' handler, for setting data up (sign-ups, keys).
    compiled: (request) => ask(compiled, request),
    resolved: (request) => ask(resolved, request),
    async gql<T>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
      const { status, body } = await ask(resolved, { query, variables, headers });
      return { status, headers: new Headers(), body: body as GraphQLResponse<T>['body'] };
    },
    async close() {
      await database.close();
      await testDatabase.drop();
    },
  };
}
