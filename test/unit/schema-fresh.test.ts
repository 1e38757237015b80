import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedFiles } from '../../scripts/lib/changed-files.js';
import { writeContract } from '../../scripts/lib/contract.js';

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
    ]);
  });

  it('refuses to generate for an operation the schema no longer accepts, writing nothing', async () => {
    const before = readFileSync(join(repo, 'schema/schema.graphql'), 'utf8');
    await expect(regenerate(published.replace(' "Its industry." industry: String', ''))).rejects.toThrow(
      /industry/,
    );
    expect(readFileSync(join(repo, 'schema/schema.graphql'), 'utf8')).toBe(before);
  });
});
