/**
 * Two instances on one database and one Redis: a write through one reaches the subscribers of
 * the other. Skipped without REDIS_URL, and on PGlite (two processes cannot share it).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies } from '../../src/db/schema.js';
import { manyAccountsEnv, signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testDriver } from '../helpers/database.js';
import { globalId } from '../helpers/domain.js';
import { subscribeSse } from '../helpers/live.js';

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl || testDriver === 'pglite')('live events across instances (Redis)', () => {
  // One channel per run: parallel runs on the same Redis do not hear each other.
  const prefix = `test:${randomUUID()}:`;
  let a: TestApp;
  let b: TestApp;
  let writer: TestAccount;
  let acquirerId: string;
  let targetId: string;

  beforeAll(async () => {
    const env = { ...manyAccountsEnv, REDIS_URL: redisUrl as string, REDIS_KEY_PREFIX: prefix };
    a = await startTestApp(env);
    // The same database as A: its environment wins over B's own fresh one.
    b = await startTestApp({ ...env, ...a.database.env });
    writer = await signUp(b);
    const rows = await a.app.database.db
      .insert(companies)
      .values([{ name: 'Redis Buyer' }, { name: 'Redis Target' }])
      .returning({ id: companies.id });
    [acquirerId, targetId] = rows.map((row) => globalId('Company', row.id)) as [string, string];
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    const redis = new Redis(redisUrl as string);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('delivers a write on B to a subscriber on A within a second', async () => {
    const live = await subscribeSse(
      a.url,
      'subscription { acquisitionEvents { kind acquisition { id target { name } } } }',
    );
    try {
      const { body } = await b.gql<{ createAcquisition: { id: string } }>(
        'mutation($input: CreateAcquisitionInput!) { createAcquisition(input: $input) { id } }',
        { input: { acquirerId, targetId, status: 'ANNOUNCED' } },
        writer.headers,
      );
      const id = body.data?.createAcquisition.id;
      expect(id).toBeDefined();
      const event = await live.next(1000);
      expect(event.data).toEqual({
        acquisitionEvents: { kind: 'CREATED', acquisition: { id, target: { name: 'Redis Target' } } },
      });
    } finally {
      live.close();
    }
  });

  it('ends a stream on A when its session is signed out on B', async () => {
    const user = await signUp(b);
    const live = await subscribeSse(a.url, 'subscription { acquisitionEvents { kind } }', {}, user.headers);
    try {
      const out = await b.gql('mutation { signOut }', {}, user.headers);
      expect(out.body.data).toEqual({ signOut: true });
      const last = await live.next(2000);
      expect(last.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      await live.completed;
    } finally {
      live.close();
    }
  });
});
