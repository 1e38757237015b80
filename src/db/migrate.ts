/** `npm run db:migrate`: applies drizzle/ to the configured database, then exits. */
import { loadConfig, readEnvFiles } from '../config.js';
import { runCli } from '../cli.js';
import { openDatabase } from './client.js';

await runCli(async () => {
  const config = loadConfig(readEnvFiles(process.env));
  const database = await openDatabase(config.database);
  try {
    await database.migrate();
    process.stdout.write(`migrations applied (${config.database.driver})\n`);
  } finally {
    await database.close();
  }
});
