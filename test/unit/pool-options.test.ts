import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { poolOptions } from '../../src/db/client.js';

const databaseOf = (url: string, statementTimeout = '5000') =>
  loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, DB_STATEMENT_TIMEOUT_MS: statementTimeout }).database;

describe('the pool options both server drivers take', () => {
  it('send the statement timeout to a server, which then cancels longer statements', () => {
    expect(poolOptions(databaseOf('postgres://app@ep-cool-123.eu-central-1.aws.neon.tech/db'))).toMatchObject(
      {
        statement_timeout: 5000,
        connectionTimeoutMillis: 5000,
      },
    );
  });

  it('leave it out for Neon’s pooled endpoint, whose PgBouncer refuses unknown startup parameters', () => {
    const options = poolOptions(
      databaseOf('postgres://app@ep-cool-123-pooler.eu-central-1.aws.neon.tech/db'),
    );
    expect(options).not.toHaveProperty('statement_timeout');
  });

  it('leave it out when switched off', () => {
    expect(poolOptions(databaseOf('postgres://app@db.internal/db', '0'))).not.toHaveProperty(
      'statement_timeout',
    );
  });
});
