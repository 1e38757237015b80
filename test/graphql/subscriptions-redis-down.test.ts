/**
 * REDIS_URL pointing at a port nothing listens on: writes still succeed and answer at once;
 * their events are lost (and logged), not queued. Needs no Redis, so it runs everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies } from '../../src/db/schema.js';
import { manyAccountsEnv, signUp } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { globalId } from '../helpers/domain.js';
import { closedPort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ ...manyAccountsEnv, REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
});
afterAll(() => t?.close());

describe('live events with Redis unreachable', () => {
  it('let writes succeed, and log the events they lose', async () => {
    expect(t.logs).toContainEqual(
      expect.objectContaining({ level: 50, msg: 'live events: Redis unreachable' }),
    );
    const writer = await signUp(t);
    const [buyer, target] = await t.app.database.db
      .insert(companies)
      .values([{ name: 'Offline Buyer' }, { name: 'Offline Target' }])
      .returning({ id: companies.id });
    const { body } = await t.gql(
      'mutation($input: CreateAcquisitionInput!) { createAcquisition(input: $input) { status } }',
      {
        input: {
          acquirerId: globalId('Company', buyer!.id),
          targetId: globalId('Company', target!.id),
          status: 'RUMORED',
        },
      },
      writer.headers,
    );
    expect(body).toEqual({ data: { createAcquisition: { status: 'RUMORED' } } });
    await waitFor(() =>
      t.logs.some((line) => line.msg === 'live events: an event could not be published and is lost'),
    );
  });
});
