import type { TestApp, GraphQLResponse } from './app.js';

/** Pothos relay's default global id: base64("<Type>:<id>"). */
export const globalId = (typename: string, id: number) => Buffer.from(`${typename}:${id}`).toString('base64');

/** The `extensions.code` of each error in a response. */
export const codesOf = (response: GraphQLResponse<unknown>) =>
  response.body.errors?.map((error) => error.extensions?.code) ?? [];

/** The failing input fields a BAD_USER_INPUT error lists. */
export const fieldsOf = (response: GraphQLResponse<unknown>) =>
  (response.body.errors ?? []).flatMap(
    (error) => (error.extensions?.fields as { field: string }[] | undefined)?.map((f) => f.field) ?? [],
  );

/** Runs one request and returns it with the SQL statements it sent. */
export async function withStatements<T>(
  t: TestApp,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<{ response: GraphQLResponse<T>; statements: string[] }> {
  const before = t.queries.length;
  const response = await t.gql<T>(query, variables, headers);
  return { response, statements: t.queries.slice(before) };
}

export interface Page {
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/**
 * Every id of a connection, page by page: forwards with first/after, or backwards with
 * last/before (then reversed, so both read in list order). Fails on an error, a repeated
 * id, or a page that is not full while the list claims to go on.
 */
export async function pageThrough(
  t: TestApp,
  options: {
    /** A document with $first, $after, $last, $before variables whose data is `select(data)`. */
    query: string;
    variables?: Record<string, unknown>;
    select: (data: Record<string, unknown>) => Page;
    size: number;
    backwards?: boolean;
  },
): Promise<string[]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const paging: Record<string, unknown> = options.backwards
      ? { last: options.size, before: cursor }
      : { first: options.size, after: cursor };
    const { body } = await t.gql(options.query, { ...options.variables, ...paging });
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    const page = options.select(body.data);
    const ids = page.edges.map((edge) => edge.node.id);
    pages.push(ids);
    const more = options.backwards ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
    if (!more) break;
    if (ids.length !== options.size) throw new Error(`a page of ${ids.length} claims more follow`);
    cursor = options.backwards ? page.pageInfo.startCursor : page.pageInfo.endCursor;
  }
  const all = options.backwards ? pages.reverse().flat() : pages.flat();
  if (new Set(all).size !== all.length) throw new Error('a row was returned twice');
  return all;
}
