/** Entry point: configuration → database → server → listen → graceful shutdown. */
import { startApp } from './app.js';
import { runCli } from './cli.js';
import { loadConfig, readEnvFiles } from './config.js';
import { reopenLogFiles } from './logger.js';

await runCli(async () => {
  const config = loadConfig(readEnvFiles(process.env));
  const app = await startApp(config);
  app.logger.info(
    {
      url: app.url,
      driver: config.database.driver,
      graphiql: config.graphiql ? `${app.url}/graphql` : false,
    },
    'acquisitions api listening',
  );

  const shutdown = (signal: NodeJS.Signals) => {
    app.logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  // logrotate's postrotate: lines go to new LOG_DIR files from now on.
  process.on('SIGHUP', () => {
    reopenLogFiles();
    app.logger.info('log files reopened');
  });
});
