import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedFiles } from '../../scripts/lib/changed-files.js';
import { manifestFile, writeContract } from '../../scripts/lib/contract.js';
import { printSdl } from '../../src/graphql/print.js';
import { schema } from '../../src/graphql/schema.js';

const published = `
"Reads." type Query { "The company." company(id: ID!): Company }
"A company." type Company { "Its id." id: ID! "Its name." name: String! "Its industry." industry: String }
`;

let repo: string;
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
const regenerate = (sdl: string) =>
  writeContract({ sdl, outDir: join(repo, 'schema'), documents: join(repo, 'schema/operations/*.graphql') });
const manifestIn = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'schema', manifestFile), 'utf8')) as Record<string, string>;

// A throwaway repository holding a committed contract, as main does.
beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'schema-fresh-'));
  git('init', '--quiet');
  mkdirSync(join(repo, 'schema/operations'), { recursive: true });
  writeFileSync(
    join(repo, 'schema/operations/company.graphql'),
    'query Company($id: ID!) { company(id: $id) { id name } }\n',
  );
  await regenerate(published);
  git('add', '.');
  git('commit', '--quiet', '-m', 'publish');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('schema freshness (npm run schema:fresh)', () => {
  it('generates the SDL and typed documents for the operations', () => {
    const operations = readFileSync(join(repo, 'schema/operations.ts'), 'utf8');
    expect(operations).toContain(
      'export type CompanyQuery = { company: { id: string, name: string } | null }',
    );
    expect(operations).toContain('DocumentNode<CompanyQuery, CompanyQueryVariables>');
    expect(readFileSync(join(repo, 'schema/types.ts'), 'utf8')).toContain('export type Company = {');
  });

  it('writes the trusted-documents manifest: each operation by the SHA-256 of its normalized text', () => {
    const manifest = manifestIn(repo);
    const text = 'query Company($id: ID!) { company(id: $id) { id name } }';
    const id = `sha256:${createHash('sha256').update(text).digest('hex')}`;
    expect(manifest).toEqual({ [id]: text });
    // The typed document names the same id, where graphql-codegen's client preset puts it.
    expect(readFileSync(join(repo, 'schema/operations.ts'), 'utf8')).toContain(
      `export const CompanyDocument = {"__meta__":{"hash":"${id}"},"kind":"Document"`,
    );
  });

  it('keeps an id through reformatting and comments; a changed selection gets a new one', async () => {
    const path = join(repo, 'schema/operations/company.graphql');
    writeFileSync(
      path,
      '# The company.\nquery Company($id: ID!) {\n  company(id: $id) {\n    id\n    name\n  }\n}\n',
    );
    await regenerate(published);
    expect(changedFiles('schema', repo)).toEqual(['schema/operations/company.graphql']);
    writeFileSync(path, 'query Company($id: ID!) { company(id: $id) { id name industry } }\n');
    await regenerate(published);
    expect(changedFiles('schema', repo).sort()).toEqual([
      'schema/operations.ts',
      'schema/operations/company.graphql',
      'schema/persisted-documents.json',
    ]);
    git('checkout', '--quiet', '--', 'schema');
  });

  it('finds nothing stale when the schema has not changed', async () => {
    await regenerate(published);
    expect(changedFiles('schema', repo)).toEqual([]);
  });

  it('flags the SDL and every typing a changed type touches', async () => {
    await regenerate(published.replace('name: String!', 'name: String'));
    expect(changedFiles('schema', repo).sort()).toEqual([
      'schema/operations.ts',
      'schema/schema.graphql',
      'schema/types.ts',
    ]);
    git('checkout', '--quiet', '--', 'schema');
  });

  it('flags a new operation whose typings were never committed', async () => {
    writeFileSync(
      join(repo, 'schema/operations/industry.graphql'),
      'query Industry { company(id: "1") { industry } }\n',
    );
    await regenerate(published);
    expect(changedFiles('schema', repo).sort()).toEqual([
      'schema/operations.ts',
      'schema/operations/industry.graphql',
      'schema/persisted-documents.json',
    ]);
    expect(Object.values(manifestIn(repo))).toContain('query Industry { company(id: "1") { industry } }');
  });

  it('refuses to generate for an operation the schema no longer accepts, writing nothing', async () => {
    const before = readFileSync(join(repo, 'schema/schema.graphql'), 'utf8');
    await expect(regenerate(published.replace(' "Its industry." industry: String', ''))).rejects.toThrow(
      /industry/,
    );
    expect(readFileSync(join(repo, 'schema/schema.graphql'), 'utf8')).toBe(before);
  });
});

describe('the committed contract', () => {
  const root = resolve(import.meta.dirname, '../..');
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'contract-'));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  // What `npm run schema:fresh` checks in CI, kept here so a stale manifest also fails `npm test`.
  it('holds the manifest codegen makes of schema/operations: one document per operation', async () => {
    await writeContract({
      sdl: printSdl(schema),
      outDir: join(outDir, 'schema'),
      documents: join(root, 'schema/operations/*.graphql'),
    });
    const committed = manifestIn(root);
    expect(committed).toEqual(manifestIn(outDir));
    const operations = Object.values(committed).flatMap((text) =>
      parse(text).definitions.flatMap((d) => (d.kind === 'OperationDefinition' ? [d.name?.value] : [])),
    );
    const declared = execFileSync(
      'git',
      ['grep', '-hoE', '^(query|mutation|subscription) [A-Za-z]+', '--', 'schema/operations'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    )
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[1]);
    expect(operations.sort()).toEqual(declared.sort());
  });
});
