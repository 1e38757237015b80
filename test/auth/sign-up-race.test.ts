/** Racing sign-ups with one email: the unique index decides, not a read-then-write. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { users } from '../../src/db/schema.js';
import { manyAccountsEnv } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(manyAccountsEnv);
});
afterAll(() => t.close());

it('20 concurrent sign-ups with one email (in varying case) make exactly one account', async () => {
  const email = `race-${Date.now()}@example.com`;
  const attempts = Array.from({ length: 20 }, (_, i) =>
    t.gql('mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }', {
      input: {
        name: `Racer ${i}`,
        email: i % 2 ? email.toUpperCase() : ` ${email}`,
        password: 'racing password',
      },
    }),
  );
  const results = await Promise.all(attempts);

  const codes = results.map((r) => r.body.errors?.[0]?.extensions?.code ?? 'OK');
  expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
  expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(19);
  for (const { status, body } of results) {
    expect(status).toBe(200);
    expect(JSON.stringify(body)).not.toMatch(/duplicate key|users_email_lower_key|23505/);
  }

  const rows = await t.app.database.db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`);
  expect(rows).toHaveLength(1);
});
