import type { MaybePromise } from '@pothos/core';
import { sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { GraphQLResolveInfo } from 'graphql';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { badUserInput, type FieldProblem } from './errors.js';
import { cursorValues, type Ordering } from './ordering.js';
import { readPlan } from './read-plans.js';
import { fieldsIn } from './selections.js';

/** The largest page a connection serves; asking for more is BAD_USER_INPUT, not a silent cut. */
export const maxPageSize = builder.options.drizzle?.maxConnectionSize ?? 100;

/** The page a connection serves when neither `first` nor `last` is given. */
export const defaultPageSize = builder.options.drizzle?.defaultConnectionSize ?? 20;

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/**
 * Checks page size and cursors before the plugin sees them: it would clamp an oversized
 * `first` silently, accept cursors of another list or ordering (a prefix of the keys, or
 * values of the wrong type, which became database errors or a silent first page), and
 * throw untyped errors for the rest. Both read paths run it.
 */
export function assertPageArgs<Table>(args: PageArgs, ordering: Ordering<Table>): void {
  const problems: FieldProblem[] = [];
  for (const name of ['first', 'last'] as const) {
    const size = args[name];
    if (size != null && (size < 0 || size > maxPageSize)) {
      problems.push({ field: name, message: `must be between 0 and ${maxPageSize}` });
    }
  }
  if (args.first != null && args.last != null) {
    problems.push({ field: 'last', message: 'cannot be combined with first' });
  }
  for (const name of ['after', 'before'] as const) {
    const cursor = args[name];
    if (cursor != null && !cursorValues(cursor, ordering)) {
      problems.push({ field: name, message: 'is not a cursor from this list and ordering' });
    }
  }
  if (problems.length > 0) throw badUserInput(problems);
}

/** Whether the field being resolved selects `name` directly (through fragments too). */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const selectionSets = info.fieldNodes.map((node) => node.selectionSet);
  for (const field of fieldsIn(selectionSets, { fragment: (fragment) => info.fragments[fragment] })) {
    if (field.name.value === name) return true;
  }
  return false;
}

/** Where a root connection's rows carry the total when totalCount was selected. */
export const totalCountKey = '_totalCount';

/**
 * The number of rows matching `where`, as a column of the page query: Postgres runs an
 * uncorrelated scalar subquery once, so the page and its total cost one statement.
 */
export const totalCountColumn = (table: PgTable, where: SQL | undefined) => () =>
  sql<number>`(select count(*) from ${table} where ${where ?? sql`true`})`;

/**
 * Totals read off a root connection's page, keyed by the field's args object: the plugin
 * hands that same object to the resolver and to the connection it builds, so the
 * connection's totalCount can find what its page query already counted.
 */
const pageTotals = new WeakMap<object, number>();

/** Records the total a root connection's page query returned (see totalCountColumn). */
export function rememberPageTotal(args: PageArgs, rows: readonly Record<string, unknown>[]): void {
  const first = rows[0];
  if (first) {
    pageTotals.set(args, Number(first[totalCountKey]));
    return;
  }
  // An empty first page of a non-zero size means nothing matched; otherwise the page is
  // past the end (or zero-sized) and says nothing about the total.
  const size = args.first ?? args.last ?? 1;
  if (!args.after && !args.before && size > 0) pageTotals.set(args, 0);
}

/** What the Drizzle plugin hands a connection type's fields, root and related alike. */
export interface CountedConnection {
  /** The connection field's args (the same object its resolver saw). */
  args: PageArgs;
  /** The row a related connection hangs off; undefined for root connections. */
  parent?: unknown;
  /** A root connection's counting callback (the field's `totalCount` option). */
  totalCount?: number | (() => MaybePromise<number>) | null;
  edges: readonly unknown[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean };
}

/**
 * totalCount of a connection, as cheaply as it can be known. A root connection: the count
 * its page query carried, else its field's count query (only totalCount was selected, or
 * the page was past the end). A related connection: the page itself when it is the whole
 * list (no cursor, nothing before or after), else `countRelated` — the Drizzle plugin's
 * in-statement related count renders invalid SQL with drizzle-orm 1.0.0-rc.5, so it is
 * not used.
 */
export function resolveTotalCount(
  connection: CountedConnection,
  countRelated?: () => Promise<number>,
): MaybePromise<number> {
  const { totalCount, args, pageInfo } = connection;
  if (typeof totalCount === 'function') return pageTotals.get(args) ?? totalCount();
  // Number(): a count can arrive as a string (Postgres bigint) depending on the driver.
  if (totalCount != null) return Number(totalCount);
  const size = args.first ?? args.last;
  if (!args.after && !args.before && size !== 0 && !pageInfo.hasNextPage && !pageInfo.hasPreviousPage) {
    return connection.edges.length;
  }
  if (countRelated) return countRelated();
  throw new Error('totalCount has no way to be counted here');
}

/**
 * The totalCount field every connection type here carries. `countRelated` counts a
 * related connection's whole list when its page alone cannot tell.
 */
export function totalCountField(
  what: string,
  countRelated?: (connection: CountedConnection, ctx: Context) => Promise<number>,
) {
  return {
    description: `How many ${what} match, across all pages.`,
    // Tells the Drizzle plugin a totalCount-only selection needs no page query.
    extensions: { pothosDrizzleTotalCount: true, ...readPlan({ kind: 'totalCount' }) },
    resolve: (connection: unknown, _args: unknown, ctx: Context) => {
      const counted = connection as CountedConnection;
      return resolveTotalCount(counted, countRelated && (() => countRelated(counted, ctx)));
    },
  };
}
