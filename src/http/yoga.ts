import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Context } from '../graphql/context.js';
import { schema } from '../graphql/schema.js';
import type { Logger } from '../logger.js';
import { useErrorMasking } from './plugins/error-masking.js';
import { requestIdOf, useRequestLog } from './plugins/request-log.js';
import { useResponseCookies } from './plugins/response-cookies.js';

export interface YogaDeps {
  config: Config;
  logger: Logger;
  db: Database;
}

export type Yoga = YogaServerInstance<Record<string, unknown>, Context>;

export function createGraphQLHandler({ config, logger, db }: YogaDeps): Yoga {
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: config.graphiql ? { title: 'Acquisitions API' } : false,
    landingPage: false,
    // Our own masking logs with the request id; Yoga's would log without it.
    maskedErrors: false,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    context: ({ request }): Context => ({
      db,
      viewer: null,
      requestId: requestIdOf(request),
      logger,
      request,
      responseCookies: [],
    }),
    // Masking runs first so the request log records the codes clients actually receive.
    plugins: [useErrorMasking(logger), useRequestLog(logger), useResponseCookies()],
  });
}
