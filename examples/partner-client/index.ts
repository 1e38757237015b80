/**
 * A partner system's client: lists every acquisition one company made, through the
 * published contract (typed documents generated into schema/) and an API key.
 *
 *   API_URL=https://acquisitions.example.com/graphql API_KEY=<secret> COMPANY_ID=<id> \
 *     node index.js   # after tsc; PAGE_SIZE (default 50) sets how many per request
 */
import { GraphQLClient } from 'graphql-request';
import { CompanyAcquisitionsDocument, type AcquisitionFieldsFragment } from '../../schema/operations.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const client = new GraphQLClient(required('API_URL'), { headers: { 'x-api-key': required('API_KEY') } });
const companyId = required('COMPANY_ID');
const pageSize = Number(process.env.PAGE_SIZE ?? 50);

/** One page of the company's acquisitions, typed by the generated document. */
const fetchPage = (after: string | null) =>
  client.request(CompanyAcquisitionsDocument, { id: companyId, first: pageSize, after });

// Follow the cursors: ask for the page after the last one's endCursor until there is none.
const acquisitions: AcquisitionFieldsFragment[] = [];
let after: string | null = null;
let pages = 0;
do {
  const { company } = await fetchPage(after);
  if (!company) throw new Error(`no company with id ${companyId}`);
  pages += 1;
  acquisitions.push(...company.acquisitions.edges.map((edge) => edge.node));
  const { hasNextPage, endCursor } = company.acquisitions.pageInfo;
  after = hasNextPage ? endCursor : null;
} while (after);

for (const { announcedOn, target, status, price } of acquisitions) {
  const amount = price ? `${price.amount} ${price.currency}` : 'undisclosed';
  console.log([announcedOn ?? '-', target.name, status, amount].join('\t'));
}
console.log(`${acquisitions.length} acquisitions in ${pages} pages`);
