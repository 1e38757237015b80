import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { listKey, type CursorPool } from './query-generator.js';
import type { TwoPaths } from './two-paths.js';

type Field = GraphQLField<unknown, unknown>;

const pagingArguments = ['first', 'after', 'last', 'before'];

const isConnectionField = (field: Field) => {
  const type = getNamedType(field.type);
  return (
    isObjectType(type) &&
    'edges' in type.getFields() &&
    pagingArguments.every((name) => field.args.some((arg) => arg.name === name))
  );
};

/** Every value of an ordering input whose fields are all required enums: each field × direction. */
function orderingsOf(field: Field): unknown[] {
  const orderBy = field.args.find((arg) => arg.name === 'orderBy');
  const type = orderBy && getNamedType(orderBy.type);
  if (!type || !isInputObjectType(type)) return [undefined];
  let combinations: Record<string, string>[] = [{}];
  for (const inputField of Object.values(type.getFields())) {
    const values = getNamedType(inputField.type);
    if (!isNonNullType(inputField.type) || !isEnumType(values)) return [undefined];
    combinations = combinations.flatMap((partial) =>
      values.getValues().map((value) => ({ ...partial, [inputField.name]: value.name })),
    );
  }
  return [undefined, ...combinations];
}

interface Page {
  edges: { cursor: string }[];
  pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean };
}

/**
 * Walks a list page by page through the resolvers (a few forward pages and one from the
 * end), putting every cursor it is handed into the pool under the list's key.
 */
async function walk(
  paths: TwoPaths,
  pool: CursorPool,
  field: Field,
  ordering: unknown,
  headers: Record<string, string>,
  /** Wraps the list's selection into a document; picks the list back out of the data. */
  around: {
    wrap: (list: string, variables: string) => string;
    pick: (data: Record<string, unknown>) => unknown;
    variables?: Record<string, unknown>;
  },
): Promise<void> {
  const connection = getNamedType(field.type) as GraphQLObjectType;
  const orderBy = field.args.find((arg) => arg.name === 'orderBy');
  const variables = `$first: Int, $last: Int, $after: String, $before: String${orderBy ? `, $orderBy: ${String(orderBy.type)}` : ''}`;
  const list = `list: ${field.name}(first: $first, last: $last, after: $after, before: $before${orderBy ? ', orderBy: $orderBy' : ''}) { edges { cursor } pageInfo { startCursor endCursor hasNextPage } }`;
  const query = around.wrap(list, variables);
  const key = listKey(connection.name, ordering);
  const page = async (paging: Record<string, unknown>) => {
    const { body } = await paths.gql(query, { ...around.variables, ...paging, orderBy: ordering }, headers);
    if (!body.data) throw new Error(`walking ${key}: ${JSON.stringify(body.errors)}`);
    const found = around.pick(body.data) as Page | null;
    for (const edge of found?.edges ?? []) pool.add(key, edge.cursor);
    for (const cursor of [found?.pageInfo.startCursor, found?.pageInfo.endCursor]) {
      if (cursor) pool.add(key, cursor);
    }
    return found;
  };
  let after: string | null = null;
  for (let i = 0; i < 3; i++) {
    const found = await page({ first: 5, after });
    if (!found?.pageInfo.hasNextPage) break;
    after = found.pageInfo.endCursor;
  }
  await page({ last: 5 });
}

/**
 * Fills the pool with cursors from page walks of every list the schema has: each root
 * connection and, under the given object of each node type, each of its connections, in
 * every ordering. Done as the given viewer (an admin sees every list).
 */
export async function walkEveryList(
  paths: TwoPaths,
  schema: GraphQLSchema,
  pool: CursorPool,
  options: { headers: Record<string, string>; nodes: ReadonlyMap<string, string> },
): Promise<void> {
  const query = schema.getQueryType()!;
  for (const field of Object.values(query.getFields()).filter(isConnectionField)) {
    for (const ordering of orderingsOf(field)) {
      await walk(paths, pool, field, ordering, options.headers, {
        wrap: (list, variables) => `query(${variables}) { ${list} }`,
        pick: (data) => data.list,
      });
    }
  }
  for (const [typename, id] of options.nodes) {
    const type = schema.getType(typename);
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields()).filter(isConnectionField)) {
      for (const ordering of orderingsOf(field)) {
        await walk(paths, pool, field, ordering, options.headers, {
          wrap: (list, variables) =>
            `query($id: ID!, ${variables}) { node(id: $id) { ... on ${typename} { ${list} } } }`,
          pick: (data) => (data.node as Record<string, unknown> | null)?.list,
          variables: { id },
        });
      }
    }
  }
}
