import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manyAccountsEnv, signUp, type TestAccount } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const ACQUISITIONS = 12;
const PAGE_SIZE = 5;

let t: TestApp;
let owner: TestAccount;
let outDir: string;

async function mutate<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const { body } = await t.gql<T>(query, variables, owner.headers);
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const createCompany = (name: string) =>
  mutate<{ createCompany: { id: string } }>(
    'mutation ($input: CreateCompanyInput!) { createCompany(input: $input) { id } }',
    { input: { name } },
  ).then((data) => data.createCompany.id);

const createAcquisition = (acquirerId: string, targetId: string, day: number) =>
  mutate('mutation ($input: CreateAcquisitionInput!) { createAcquisition(input: $input) { id } }', {
    input: {
      acquirerId,
      targetId,
      status: 'COMPLETED',
      price: { amount: `${day}000000.00`, currency: 'USD' },
      announcedOn: `2024-01-${String(day).padStart(2, '0')}`,
    },
  });

/** A key held to trusted documents, as the example's README has the partner create. */
const createApiKey = () =>
  mutate<{ createApiKey: { secret: string; apiKey: { id: string; trustedDocumentsOnly: boolean } } }>(
    'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id trustedDocumentsOnly } } }',
    { input: { name: 'partner example', trustedDocumentsOnly: true } },
  ).then((data) => data.createApiKey);

/** Runs the compiled example as a partner would: its own process, configured by environment. */
const runExample = (apiKey: string, company: string) =>
  run(process.execPath, [join(outDir, 'examples/partner-client/index.js')], {
    env: {
      PATH: process.env.PATH,
      API_URL: `${t.url}/graphql`,
      API_KEY: apiKey,
      COMPANY: company,
      PAGE_SIZE: `${PAGE_SIZE}`,
    },
  });

const failureOf = (running: ReturnType<typeof runExample>) =>
  running.then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );

const targets: string[] = [];

// Everything is seeded through GraphQL, as a partner's own account would be.
beforeAll(async () => {
  t = await startTestApp(manyAccountsEnv);
  owner = await signUp(t);
  const acquirerId = await createCompany('Acquirer Inc');
  for (let day = 1; day <= ACQUISITIONS; day += 1) {
    const name = `Target ${day}`;
    targets.push(name);
    await createAcquisition(acquirerId, await createCompany(name), day);
  }
  // The acquirer as a target: not one of its acquisitions, so the example must not list it.
  await createAcquisition(await createCompany('Parent Holding'), acquirerId, 28);

  // Built with the example's own tsconfig, as its `npm run build` does, but by the repository's
  // TypeScript (the example's node_modules are not installed here) and into a scratch folder;
  // type "module" as in the example's package.json.
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  outDir = mkdtempSync(join(root, 'node_modules/.cache/partner-client-'));
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  await run(process.execPath, [
    join(root, 'node_modules/typescript/bin/tsc'),
    '-p',
    join(root, 'examples/partner-client/tsconfig.json'),
    '--outDir',
    outDir,
  ]);
});
afterAll(async () => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
  await t?.close();
});

describe('examples/partner-client', () => {
  it('pages through all of a company’s acquisitions with a key held to trusted documents', async () => {
    const { secret, apiKey } = await createApiKey();
    expect(apiKey.trustedDocumentsOnly).toBe(true);
    // Found by name regardless of case; the key would refuse any request sending a text.
    const { stdout } = await runExample(secret, 'acquirer inc');
    const lines = stdout.trim().split('\n');
    const pages = Math.ceil(ACQUISITIONS / PAGE_SIZE);
    expect(lines.at(-1)).toBe(`${ACQUISITIONS} acquisitions in ${pages} pages`);
    const listed = lines.slice(0, -1).map((line) => line.split('\t')[1]);
    expect(listed.sort()).toEqual([...targets].sort());
    expect(stdout).not.toContain('Parent Holding');
    // The search, then one request per page: trusted documents named by id, or the key
    // would have refused them.
    const served = t.logs.filter((line) => line.msg === 'graphql request').slice(-(1 + pages));
    expect(served.map((line) => [line.operationName, line.outcome])).toEqual([
      ['Companies', 'ok'],
      ...Array.from({ length: pages }, () => ['CompanyAcquisitions', 'ok']),
    ]);
  });

  it('says so when no company has the name', async () => {
    const { secret } = await createApiKey();
    const failure = await failureOf(runExample(secret, 'Acquirer'));
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim()).toBe('no company is named Acquirer');
  });

  it('fails with UNAUTHENTICATED once the key is revoked', async () => {
    const { secret, apiKey } = await createApiKey();
    await mutate('mutation ($id: ID!) { revokeApiKey(id: $id) { id } }', { id: apiKey.id });
    const failure = await failureOf(runExample(secret, 'Acquirer Inc'));
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/^UNAUTHENTICATED: /);
  });
});
