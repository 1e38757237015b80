/** Entry point of `npm run db:migrate` (src/db/migrate.ts). */
import { runCli } from '../cli.js';
import { readEnvFiles } from '../config.js';
import { migrateCommand } from '../db/migrate.js';

await runCli(() => migrateCommand(readEnvFiles(process.env), process.stdout));
