/** Entry point of `npm run admin:create` (src/auth/admin-create.ts). */
import { adminCreateCommand, readPasswordFromStdin } from '../auth/admin-create.js';
import { runCli } from '../cli.js';
import { readEnvFiles } from '../config.js';

await runCli(() =>
  adminCreateCommand(process.argv.slice(2), readEnvFiles(process.env), {
    stdout: process.stdout,
    readPassword: readPasswordFromStdin,
  }),
);
