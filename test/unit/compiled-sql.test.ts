/**
 * The SQL the compiled path writes for representative operations, pinned in files
 * (test/unit/compiled-sql/*.sql): a change to what Postgres is asked shows in review as a
 * diff of the statement itself. Only the schema is needed: the text depends on the
 * operation's shape, never on the data.
 */
import { getOperationAST, getVariableValues, Kind, parse, type FragmentDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readStatement } from '../../src/graphql/compiled-reads/read-statement.js';
import { schema } from '../../src/graphql/schema.js';

const encode = (text: string) => Buffer.from(text).toString('base64');
const company = encode('Company:42');
const afterCursor = encode('DC:T:["S:2019-06-01","N:1234"]');

const operations: [string, string, Record<string, unknown>, number | null][] = [
  [
    'q3-acquisitions-page',
    `query BenchAcquisitions { acquisitions(first: 50, orderBy: { field: ANNOUNCED_ON, direction: DESC }) {
      edges { node { status price { amount currency } announcedOn closedOn acquirer { name } target { name } } } } }`,
    {},
    null,
  ],
  [
    'q4-company-with-deals',
    `query BenchCompany($id: ID!) { company(id: $id) { name industry country
      acquisitions(first: 20) { totalCount edges { node { status announcedOn price { amount currency } target { name } } } } } }`,
    { id: company },
    null,
  ],
  [
    'q6-next-page-after-cursor',
    `query BenchAcquisitionsNext($after: String) { acquisitions(first: 50, after: $after, orderBy: { field: ANNOUNCED_ON, direction: DESC }) {
      pageInfo { hasNextPage endCursor } edges { node { status price { amount currency } announcedOn acquirer { name } target { name } } } } }`,
    { after: afterCursor },
    null,
  ],
  [
    'filtered-search-with-totals',
    `query Search($f: AcquisitionFilter) { companies(search: "acme", first: 5) { totalCount edges { cursor node { name } } }
      acquisitions(filter: $f, orderBy: { field: PRICE, direction: ASC }) { totalCount pageInfo { hasNextPage } edges { node { id } } } }`,
    { f: { status: ['COMPLETED', 'PENDING'], minPrice: '1000000', currency: 'usd', acquirerId: company } },
    null,
  ],
  [
    'last-page-before-cursor',
    `query Back($before: String) { acquisitions(last: 10, before: $before, orderBy: { field: CREATED_AT, direction: ASC }) {
      pageInfo { hasPreviousPage startCursor } edges { cursor node { createdAt } } } }`,
    { before: encode('DC:T:["D:1700000000000","N:99"]') },
    null,
  ],
  [
    'node-and-viewer',
    `query Node($id: ID!) { me { id email role } node(id: $id) { __typename id ... on Company { name acquiredBy(first: 1) { edges { node { acquirer { name } } } } } ... on Acquisition { status } } }`,
    { id: company },
    7,
  ],
];

/**
 * One sub-select a line, indented by depth, so a diff points at the part that changed.
 * Only for reading: quotes are not parsed, which these statements' literals never need.
 */
function layout(statement: string): string {
  let depth = 0;
  let out = '';
  for (let i = 0; i < statement.length; i++) {
    const char = statement[i]!;
    if (char === '(') {
      depth++;
      if (statement.startsWith('(select ', i)) out += `\n${'  '.repeat(depth)}`;
    } else if (char === ')') depth--;
    out += char;
  }
  return out;
}

describe('compiled SQL, pinned', () => {
  for (const [name, query, variables, viewerId] of operations) {
    it(name, async () => {
      const document = parse(query);
      const operation = getOperationAST(document)!;
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const node of document.definitions) {
        if (node.kind === Kind.FRAGMENT_DEFINITION) fragments[node.name.value] = node;
      }
      const { coerced } = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
      const inputs = { variables: coerced!, viewerId };
      const bound = readStatement({ schema, fragments, ...inputs }, operation).bind(inputs);
      const text = `-- ${name}: parameters ${JSON.stringify(bound.params)}\n${layout(bound.sql)}\n`;
      await expect(text).toMatchFileSnapshot(`compiled-sql/${name}.sql`);
    });
  }
});
