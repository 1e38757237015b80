import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type DestinationStream, type Logger, type StreamEntry } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.js';

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

export function createLogger(config: Pick<Config, 'log'>, destination?: DestinationStream): Logger {
  const options = {
    level: config.log.level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination);

  const streams: StreamEntry[] = [
    {
      level: config.log.level === 'silent' ? 'fatal' : config.log.level,
      stream: config.log.pretty ? pretty({ colorize: true, sync: true }) : pino.destination(1),
    },
  ];
  if (config.log.dir) {
    mkdirSync(config.log.dir, { recursive: true });
    streams.push(
      {
        level: 'info',
        stream: pino.destination({ dest: join(config.log.dir, 'combined.log'), mkdir: true }),
      },
      { level: 'error', stream: pino.destination({ dest: join(config.log.dir, 'error.log'), mkdir: true }) },
    );
  }
  return pino(options, pino.multistream(streams));
}
