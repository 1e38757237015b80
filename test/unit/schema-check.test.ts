import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSchemaChanges, type AllowedChange } from '../../scripts/lib/breaking-changes.js';
import { readPublishedSdl } from '../../scripts/lib/published-sdl.js';

const published = `
type Query { company(id: ID!): Company, companies(first: Int): [Company!]! }
type Company {
  id: ID!
  name: String!
  website: String
  "Use website."
  homepage: String @deprecated(reason: "Use website.")
  status: Status!
}
enum Status { ACTIVE ACQUIRED }
input CompanyFilter { name: String, country: String }
`;

const summary = async (current: string, allowed: AllowedChange[] = []) => {
  const result = await checkSchemaChanges(published, current, allowed);
  return {
    changes: result.changes.map((c) => `${c.criticality.level} ${c.type} ${c.path}`),
    blocked: result.blocked.map((b) => `${b.change.type} ${b.change.path}`),
    allowed: result.allowed.map((a) => `${a.change.type} ${a.change.path}`),
    unused: result.unused.map((u) => `${u.type} ${u.path}`),
  };
};

describe('schema:check (breaking-change guard)', () => {
  it('passes additions, reporting the risky ones as dangerous', async () => {
    const current = published
      .replace('status: Status!', 'status: Status!\n  foundedYear: Int')
      .replace('ACTIVE ACQUIRED', 'ACTIVE ACQUIRED MERGED')
      .replace('companies(first: Int)', 'companies(first: Int, search: String)');
    expect(await summary(current)).toEqual({
      changes: [
        'DANGEROUS ENUM_VALUE_ADDED Status.MERGED',
        'DANGEROUS FIELD_ARGUMENT_ADDED Query.companies.search',
        'NON_BREAKING FIELD_ADDED Company.foundedYear',
      ],
      blocked: [],
      allowed: [],
      unused: [],
    });
  });

  it('fails on a breaking change the allow-file does not list', async () => {
    const current = published
      .replace('name: String!', 'name: String')
      .replace('id: ID!)', 'id: ID!, at: Int!)');
    const { blocked } = await summary(current);
    expect(blocked).toEqual(['FIELD_ARGUMENT_ADDED Query.company.at', 'FIELD_TYPE_CHANGED Company.name']);
  });

  it('passes a breaking change listed with a reason, and flags entries that matched nothing', async () => {
    const current = published.replace('name: String!', 'name: String');
    const allowed = [
      {
        type: 'FIELD_TYPE_CHANGED',
        path: 'Company.name',
        reason: 'Names of dissolved companies are erased.',
      },
      { type: 'FIELD_REMOVED', path: 'Company.founded', reason: 'Published two releases ago.' },
    ];
    expect(await summary(current, allowed)).toMatchObject({
      blocked: [],
      allowed: ['FIELD_TYPE_CHANGED Company.name'],
      unused: ['FIELD_REMOVED Company.founded'],
    });
  });

  it('refuses removing a field that was never deprecated, even when allowed', async () => {
    const current = published.replace('  website: String\n', '');
    const allowed = [{ type: 'FIELD_REMOVED', path: 'Company.website', reason: 'Nobody uses it, we think.' }];
    expect((await summary(current, allowed)).blocked).toEqual(['FIELD_REMOVED Company.website']);
    const enumValueGone = published.replace('ACTIVE ACQUIRED', 'ACTIVE');
    const allowEnum = [
      { type: 'ENUM_VALUE_REMOVED', path: 'Status.ACQUIRED', reason: 'Merged into ACTIVE.' },
    ];
    expect((await summary(enumValueGone, allowEnum)).blocked).toEqual(['ENUM_VALUE_REMOVED Status.ACQUIRED']);
  });

  it('lets a deprecated field go once the removal is listed', async () => {
    const current = published.replace(
      '  "Use website."\n  homepage: String @deprecated(reason: "Use website.")\n',
      '',
    );
    expect((await summary(current)).blocked).toEqual(['FIELD_REMOVED Company.homepage']);
    const allowed = [
      { type: 'FIELD_REMOVED', path: 'Company.homepage', reason: 'Deprecated since 1.2; unused.' },
    ];
    expect(await summary(current, allowed)).toMatchObject({
      blocked: [],
      allowed: ['FIELD_REMOVED Company.homepage'],
    });
  });
});

describe('npm run schema:check', () => {
  const run = promisify(execFile);
  const script = resolve(import.meta.dirname, '../../scripts/schema-check.ts');
  const tsx = resolve(import.meta.dirname, '../../node_modules/tsx/dist/cli.mjs');
  let dir: string;
  const file = (name: string, content: string) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const check = (...args: string[]) =>
    run(process.execPath, [tsx, script, ...args], { cwd: dir }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'schema-check-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits non-zero on an unlisted breaking change, printing each change with its criticality', async () => {
    const base = file('base.graphql', published);
    const current = file(
      'current.graphql',
      published.replace('name: String!', 'name: Int!').replace('ACQUIRED', 'ACQUIRED MERGED'),
    );
    const { code, stdout, stderr } = await check(
      '--base',
      base,
      '--current',
      current,
      '--allow',
      join(dir, 'none.json'),
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/BREAKING\s+FIELD_TYPE_CHANGED Company\.name/);
    expect(stdout).toMatch(/DANGEROUS\s+ENUM_VALUE_ADDED Status\.MERGED/);
    expect(stderr).toContain('"type":"FIELD_TYPE_CHANGED","path":"Company.name"');
  });

  it('exits zero when the allow-file lists the change with a reason, and rejects an entry without one', async () => {
    const base = file('base.graphql', published);
    const current = file('current.graphql', published.replace('name: String!', 'name: Int!'));
    const entry = { type: 'FIELD_TYPE_CHANGED', path: 'Company.name' };
    const allow = file(
      'allow.json',
      JSON.stringify([{ ...entry, reason: 'Partners agreed on 2025-01-10.' }]),
    );
    expect((await check('--base', base, '--current', current, '--allow', allow)).code).toBe(0);
    const noReason = file('no-reason.json', JSON.stringify([entry]));
    const { code, stderr } = await check('--base', base, '--current', current, '--allow', noReason);
    expect(code).toBe(2);
    expect(stderr).toContain('reason');
  });

  it('passes the first publication: nothing at the base ref yet', async () => {
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
    git('init', '--quiet');
    git('commit', '--quiet', '--allow-empty', '-m', 'before the contract');
    const current = file('current.graphql', published);
    const { code, stdout } = await check('--base-ref', 'HEAD~1', '--current', current);
    expect(code).toBe(0);
    expect(stdout).toContain('nothing published at HEAD~1');
    expect(readPublishedSdl('HEAD', dir)).toBeNull();
  });
});
