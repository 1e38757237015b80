import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { prepareParameterizedStatements, statementName } from '../../src/db/prepared-statements.js';
import { companies } from '../../src/db/schema.js';
import { createTestDatabase, testDriver, type TestDatabase } from '../helpers/database.js';

/**
 * The pg driver prepares parameterized statements (src/db/prepared-statements.ts).
 * One pooled connection, so pg_prepared_statements, read over it, shows what it prepared.
 */
describe.runIf(testDriver === 'pg')('prepared statements on the pg driver', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const sent: string[] = [];

  const prepared = async () => {
    const { rows } = (await handle.db.execute(
      sql`select name, statement from pg_prepared_statements order by name`,
    )) as unknown as { rows: { name: string; statement: string }[] };
    return rows;
  };

  beforeAll(async () => {
    database = await createTestDatabase('pg');
    handle = await openDatabase(
      {
        driver: 'pg',
        url: database.url as string,
        poolMax: 1,
        connectTimeoutMs: 5000,
        statementTimeoutMs: 5000,
        preparedStatements: true,
      },
      { onQuery: (text) => sent.push(text) },
    );
    // The migrator runs through the same wrapped pool.
    await handle.migrate();
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('serves a repeated query through one named statement', async () => {
    await handle.db.insert(companies).values({ name: 'Initech' });
    sent.length = 0;
    const byName = (name: string) => handle.db.query.companies.findFirst({ where: { name } });
    expect((await byName('Initech'))?.name).toBe('Initech');
    expect(await byName('Nobody')).toBeUndefined();
    const [text] = sent;
    expect(text).toBeDefined();
    expect(sent).toEqual([text, text]);
    const named = (await prepared()).filter((row) => row.statement === text);
    expect(named).toEqual([{ name: statementName(text as string), statement: text }]);
  });

  it('leaves statements without parameters unprepared', async () => {
    await handle.db.execute(sql`select count(*) from companies`);
    const statements = (await prepared()).map((row) => row.statement);
    expect(statements.some((statement) => statement.includes('count(*)'))).toBe(false);
  });

  it('keeps a statement prepared in a rolled-back transaction usable, and recovers from a failed one', async () => {
    const rename = (db: DatabaseHandle['db'], id: number, name: string) =>
      db.update(companies).set({ name }).where(eq(companies.id, id));
    await expect(
      handle.db.transaction(async (tx) => {
        await rename(tx, 1, 'Initrode');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await rename(handle.db, 1, 'Initech 2');
    const [row] = await handle.db.select({ name: companies.name }).from(companies).where(eq(companies.id, 1));
    expect(row?.name).toBe('Initech 2');

    // A statement failing inside a transaction aborts it; the next use of the same text works.
    await handle.db.insert(companies).values({ name: 'Hooli' });
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        await rename(tx, 1, 'hooli');
      }),
    ).rejects.toThrow();
    await rename(handle.db, 1, 'Initech 3');
  });
});

describe.runIf(testDriver === 'pg')('the per-connection cap', () => {
  let database: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase('pg');
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    prepareParameterizedStatements(client, 2);
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('prepares no more than the cap and runs later texts unnamed', async () => {
    const texts = ['select $1::int as a', 'select $1::int as b', 'select $1::int as c'];
    for (const text of [...texts, ...texts]) {
      expect((await client.query({ text }, [7])).rows).toHaveLength(1);
    }
    const { rows } = await client.query<{ statement: string }>(
      'select statement from pg_prepared_statements order by statement',
    );
    expect(rows.map((row) => row.statement)).toEqual(texts.slice(0, 2));
  });
});

describe.runIf(testDriver === 'pg')('DB_PREPARED_STATEMENTS=false', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    database = await createTestDatabase('pg');
    handle = await openDatabase({
      driver: 'pg',
      url: database.url as string,
      poolMax: 1,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 5000,
      preparedStatements: false,
    });
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('sends every statement unnamed, for poolers that cannot carry prepared statements', async () => {
    await handle.db.execute(sql`select ${7}::int as seven`);
    const { rows } = (await handle.db.execute(sql`select name from pg_prepared_statements`)) as unknown as {
      rows: unknown[];
    };
    expect(rows).toEqual([]);
  });
});
