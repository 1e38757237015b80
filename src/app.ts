import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle, type OpenDatabaseOptions } from './db/client.js';
import { createGraphQLHandler } from './http/yoga.js';
import { createLogger, type Logger } from './logger.js';
import { createHttpServer } from './server.js';
import { closeServer } from './shutdown.js';
import { version } from './version.js';

export interface App {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  server: Server;
  /** Base URL the server listens on, e.g. http://127.0.0.1:3000. */
  url: string;
  /** Graceful stop: refuse new connections, finish in-flight requests (bounded), close the database. */
  stop(): Promise<void>;
}

export interface StartOptions extends OpenDatabaseOptions {
  logger?: Logger;
}

/** Builds the whole service from a parsed configuration and starts listening. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config);
  if (config.auth.jwtSecretGenerated && config.env !== 'test') {
    logger.warn(
      'JWT_SECRET is not set: using a random secret for this process; tokens will not survive a restart',
    );
  }

  const database = await openDatabase(config.database, { onQuery: options.onQuery });
  try {
    if (config.migrateOnStart) await database.migrate();
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }

  let accepting = true;
  const yoga = createGraphQLHandler({ config, logger, db: database.db });
  const server = createHttpServer({
    yoga,
    health: {
      database,
      dbTimeoutMs: config.healthDbTimeoutMs,
      version,
      isAcceptingTraffic: () => accepting,
      onDatabaseError: (err) => logger.warn({ err }, 'health check: database unavailable'),
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;

  let stopping: Promise<void> | undefined;
  return {
    config,
    logger,
    database,
    server,
    url,
    stop: () =>
      (stopping ??= (async () => {
        accepting = false;
        await closeServer(server, config.shutdownTimeoutMs);
        await database.close();
      })()),
  };
}
