/** `npm run db:migrate`: applies drizzle/ to the configured database. */
import type { Writer } from '../cli.js';
import { loadConfig } from '../config.js';
import { openDatabase } from './client.js';

export async function migrateCommand(env: Record<string, string | undefined>, stdout: Writer): Promise<void> {
  const config = loadConfig(env);
  const database = await openDatabase(config.database);
  try {
    await database.migrate();
    stdout.write(`migrations applied (${config.database.driver})\n`);
  } finally {
    await database.close();
  }
}
