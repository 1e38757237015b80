/** The service never loses its last admin: not by demotion, not by deletion, not by a race. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema.js';
import { createAdmin, manyAccountsEnv, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(manyAccountsEnv);
});
afterAll(() => t.close());

const demote = (actor: TestAccount, target: TestAccount) =>
  t.gql(
    'mutation($id: ID!) { updateUser(id: $id, input: { role: USER }) { role } }',
    { id: target.id },
    actor.headers,
  );
const remove = (actor: TestAccount, target: TestAccount) =>
  t.gql('mutation($id: ID!) { deleteUser(id: $id) { id } }', { id: target.id }, actor.headers);

async function adminIds(): Promise<number[]> {
  const rows = await t.app.database.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin'));
  return rows.map((r) => r.id);
}

async function demoteAllAdmins() {
  await t.app.database.db.update(users).set({ role: 'user' }).where(eq(users.role, 'admin'));
}

describe('the last admin', () => {
  it('cannot demote or delete itself', async () => {
    await demoteAllAdmins();
    const only = await createAdmin(t);
    for (const attempt of [demote(only, only), remove(only, only)]) {
      const { body } = await attempt;
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['CONFLICT']);
    }
    expect(await adminIds()).toEqual([only.userId]);
  });

  it('can be demoted or deleted once another admin exists', async () => {
    await demoteAllAdmins();
    const a = await createAdmin(t);
    const b = await createAdmin(t);
    expect((await demote(a, b)).body.data).toEqual({ updateUser: { role: 'USER' } });
    // b's next request already runs as a user.
    expect((await demote(b, a)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const c = await createAdmin(t);
    expect((await remove(c, a)).body.data).toEqual({ deleteUser: { id: a.id } });
    expect(await adminIds()).toEqual([c.userId]);
  });

  it('survives two admins demoting themselves at the same moment', async () => {
    await demoteAllAdmins();
    const a = await createAdmin(t);
    const b = await createAdmin(t);
    const results = await Promise.all([demote(a, a), demote(b, b)]);
    const codes = results.map((r) => r.body.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    expect(await adminIds()).toHaveLength(1);
  });

  it('survives two admins demoting each other at the same moment', async () => {
    await demoteAllAdmins();
    const a = await createAdmin(t);
    const b = await createAdmin(t);
    const results = await Promise.all([demote(a, b), demote(b, a)]);
    // The loser is refused either by the lock (CONFLICT) or, if its request started after
    // the winner's commit, by its own demotion (FORBIDDEN).
    expect(results.filter((r) => r.body.errors === undefined)).toHaveLength(1);
    expect(await adminIds()).toHaveLength(1);
  });
});
