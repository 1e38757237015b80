import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pino, { type DestinationStream, type Logger, type StreamEntry } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { Config } from './config.js';
import { version } from './version.js';

export type { Logger };

const secretKeys = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'password_hash',
  'token',
  'secret',
  'jwtSecret',
  'apiKey',
  'cookie',
  'authorization',
  'set-cookie',
  'x-api-key',
];

/**
 * pino's redaction matches fixed paths, so secrets are listed at every depth a
 * log line realistically nests them (e.g. req.headers.authorization,
 * graphql.variables.input.password).
 */
export const redactPaths = secretKeys.flatMap((key) =>
  [0, 1, 2, 3, 4].map((depth) => {
    const wildcards = Array.from({ length: depth }, () => '*');
    // Keys with dashes need bracket notation in pino's path syntax.
    return /^\w+$/.test(key) ? [...wildcards, key].join('.') : `${wildcards.join('.')}["${key}"]`;
  }),
);

/** Names every line, so lines from several services in one log store can be told apart. */
export const logIdentity = { service: 'acquisitions-api', version };

/** The LOG_DIR files of this process, reopened on SIGHUP (reopenLogFiles). */
const logFiles = new Set<ReturnType<typeof pino.destination>>();

/**
 * Reopens the LOG_DIR files by name: after logrotate has moved them away, lines go to new
 * files rather than on into the moved ones (see README, "Logs").
 */
export function reopenLogFiles(): void {
  for (const file of logFiles) file.reopen();
}

/**
 * pino-pretty, loaded only for LOG_PRETTY: production writes JSON lines and starts without
 * its thirty modules. A CommonJS package, so it can be loaded synchronously.
 */
const loadPretty = (): typeof PinoPretty =>
  createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;

export function createLogger(config: Pick<Config, 'log'>, destination?: DestinationStream): Logger {
  const options = {
    level: config.log.level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: logIdentity,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination);

  const streams: StreamEntry[] = [
    {
      level: config.log.level === 'silent' ? 'fatal' : config.log.level,
      stream: config.log.pretty ? loadPretty()({ colorize: true, sync: true }) : pino.destination(1),
    },
  ];
  const dir = config.log.dir;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    const file = (name: string) => {
      const stream = pino.destination({ dest: join(dir, name), mkdir: true });
      logFiles.add(stream);
      return stream;
    };
    streams.push(
      { level: 'info', stream: file('combined.log') },
      { level: 'error', stream: file('error.log') },
    );
  }
  return pino(options, pino.multistream(streams));
}
