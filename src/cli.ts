import { ConfigError } from './config.js';

/**
 * Runs a command-line task: configuration errors and failures print one line
 * and exit 1, never a stack trace.
 */
export async function runCli(task: () => Promise<void>): Promise<void> {
  try {
    await task();
  } catch (error) {
    const message =
      error instanceof ConfigError
        ? `Invalid configuration: ${error.message}`
        : `Error: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}
