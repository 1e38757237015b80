/** Entry point of `npm run db:seed` (src/db/seed-cli.ts). */
import { createPasswordHasher } from '../auth/password.js';
import { runCli } from '../cli.js';
import { readEnvFiles } from '../config.js';
import { seedCommand } from '../db/seed-cli.js';

await runCli(() =>
  seedCommand(process.argv.slice(2), readEnvFiles(process.env), {
    stdout: process.stdout,
    hashPassword: (password, params) => createPasswordHasher(params).hash(password),
  }),
);
