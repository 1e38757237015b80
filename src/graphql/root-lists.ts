import { sql, type SQL } from 'drizzle-orm';
import type { GraphQLResolveInfo } from 'graphql';
import { acquisitions, companies, users } from '../db/schema.js';
import {
  assertPageArgs,
  rememberPageTotal,
  selectsField,
  totalCountColumn,
  totalCountKey,
  type PageArgs,
} from './connections.js';
import type { Context } from './context.js';
import { withDatabaseErrors } from './database-errors.js';
import { drizzleOrdering, type Ordering } from './ordering.js';
import { listPlan } from './read-plans.js';

const listTables = { companies, acquisitions, users };
type ListTables = typeof listTables;

/** The Drizzle plugin's query builder a connection resolver receives. */
type PlannedQuery = (config: Record<string, unknown>) => Record<string, unknown>;

/**
 * The parts of a root list field (`companies`, `acquisitions`, `users`) that follow from its table,
 * its filter and its ordering: the compiled path's plan, the count the connection falls
 * back on, and the page resolver, which reads the total in the same statement when
 * totalCount is selected. Spread into `t.drizzleConnection`, so both read paths and the
 * count are built from the same `where` and `ordering`.
 */
export function rootList<Name extends keyof ListTables, Args extends object>(
  name: Name,
  where: (args: Args, table: ListTables[Name]) => SQL | undefined,
  ordering: (args: Args) => Ordering<ListTables[Name]>,
) {
  const table = listTables[name];
  return {
    extensions: listPlan(name, where as never, ordering as never),
    // Only when no row of the page could carry the total (see resolveTotalCount).
    totalCount: (_root: unknown, args: Args, ctx: Context) => {
      // A totalCount-only selection skips the resolver, so its checks run here too.
      assertPageArgs(args as PageArgs, ordering(args));
      return ctx.db.$count(table, where(args, table));
    },
    resolve: async (
      query: PlannedQuery,
      _root: unknown,
      args: Args,
      ctx: Context,
      info: GraphQLResolveInfo,
    ) => {
      const order = ordering(args);
      assertPageArgs(args as PageArgs, order);
      const withTotal = selectsField(info, 'totalCount');
      const { extras, orderBy } = drizzleOrdering(order);
      const config = query({
        where: { RAW: (aliased: ListTables[Name]) => where(args, aliased) ?? sql`true` },
        extras: {
          ...extras,
          ...(withTotal ? { [totalCountKey]: totalCountColumn(table, where(args, table)) } : {}),
        },
        orderBy,
      });
      const finder = ctx.db.query[name] as unknown as {
        findMany(config: unknown): Promise<Record<string, unknown>[]>;
      };
      const rows = await withDatabaseErrors(() => finder.findMany(config));
      if (withTotal) rememberPageTotal(args as PageArgs, rows);
      return rows as never;
    },
  };
}
