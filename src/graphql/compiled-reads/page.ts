import type { SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { FieldNode, GraphQLField, GraphQLObjectType } from 'graphql';
import { assertPageArgs, defaultPageSize, type PageArgs } from '../connections.js';
import { cursorValues, type Direction, type Ordering } from '../ordering.js';
import { readPlanOf, type TableName } from '../read-plans.js';
import { cursorSql } from './encodings.js';
import { never, notThisTime } from './not-compilable.js';
import { assertPublicType } from './public-fields.js';
import { jsonObject, subfields, type ArgumentsReader, type Scope } from './read-statement.js';
import { objectTypeOf, Row, sqlTableName, tableNameOf } from './row.js';
import type { StatementInputs } from './sql-writer.js';

/** The rows a connection pages through, from its field's plan. */
export interface ListSource {
  table: TableName;
  /** Which rows of the table belong to the list (a filter, a relation), over an alias of it. */
  where: (table: PgTable) => SQL | undefined;
  ordering: Ordering<PgTable>;
  /** Writes a page row's node object. */
  node: (scope: Scope, type: GraphQLObjectType, row: Row, nodes: readonly FieldNode[]) => void;
}

/** What a request asks of the page: its size and the key values of its cursors. */
interface Page {
  size: number;
  after?: unknown[];
  before?: unknown[];
}

const pageArguments: ReadonlySet<string> = new Set(['first', 'last', 'after', 'before']);

const opposite = (direction: Direction): Direction => (direction === 'asc' ? 'desc' : 'asc');

/** The page the arguments ask for; arguments the resolvers refuse are theirs to report. */
function pageOf(args: PageArgs, ordering: Ordering<PgTable>): Page {
  try {
    assertPageArgs(args, ordering);
  } catch {
    return notThisTime('page arguments the resolvers refuse');
  }
  return {
    size: args.first ?? args.last ?? defaultPageSize,
    after: args.after == null ? undefined : cursorValues(args.after, ordering),
    before: args.before == null ? undefined : cursorValues(args.before, ordering),
  };
}

/** A cursor's value as a statement parameter: Drizzle binds a timestamp column's Date as ISO text too. */
const parameterOf = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/**
 * A connection as one sub-select, as the Drizzle plugin pages: rows past `after` and
 * before `before`, ordered (backwards for `last`), cut at the size plus one row that only
 * tells whether another page exists; then shaped into edges, cursors and pageInfo by
 * aggregates, so the sub-select answers one row however many (or few) the page holds.
 * Which of first/last/after/before are given is part of the statement's shape; their
 * values are parameters bound per request.
 */
export function connection(
  scope: Scope,
  field: GraphQLField<unknown, unknown>,
  nodes: FieldNode[],
  readArgs: ArgumentsReader,
  args: PageArgs,
  source: ListSource,
): void {
  const { w } = scope;
  const { ordering } = source;
  const type = objectTypeOf(field.type, field.name);
  assertPublicType(type);
  const backward = args.first == null && args.last != null;
  const paging = { after: args.after != null, before: args.before != null };
  const page = pageOf(args, ordering);
  // Asked for by several parameters per binding: read once per request.
  let bound: { inputs: StatementInputs; page: Page } | undefined;
  const pageFor = (inputs: StatementInputs): Page => {
    if (bound?.inputs !== inputs) {
      const values = readArgs(inputs.variables, pageArguments) as PageArgs;
      // statement-shape.ts keys templates by which of these are given; a mismatch is a bug.
      if (
        (values.first == null && values.last != null) !== backward ||
        (values.after != null) !== paging.after ||
        (values.before != null) !== paging.before
      ) {
        throw new Error(`${field.name}: page arguments of another shape`);
      }
      bound = { inputs, page: pageOf(values, ordering) };
    }
    return bound.page;
  };
  // A page of totalCount alone binds no size, yet one the resolvers refuse is still theirs.
  w.check(pageFor);

  const p = new Row(source.table, w.alias('p'));
  const cursor = cursorSql(
    ordering,
    ordering.keys.map((_, index) => `"${p.alias}"."__k${index}"`),
  );
  const size = () => w.param(page.size, 'int', (inputs) => pageFor(inputs).size);
  const onPage = () => {
    w.write(` filter (where "${p.alias}"."__rn" <= `);
    size();
    w.write(')');
  };
  const morePages = () => {
    w.write('count(*) > ');
    size();
  };
  /** The cursor of the first (or last) edge in fetch order. */
  const edgeCursor = (last: boolean) => {
    w.write(`(array_agg(${cursor} order by "${p.alias}"."__rn"${last ? ' desc' : ''})`);
    onPage();
    w.write(')[1]');
  };

  let paged = false;
  w.write('(select ');
  jsonObject(scope, type, subfields(scope, type, nodes), (connectionField, fieldNodes) => {
    switch (connectionField.name) {
      case 'edges': {
        paged = true;
        const edgeType = objectTypeOf(connectionField.type, 'edges');
        assertPublicType(edgeType);
        w.write('coalesce(json_agg(');
        jsonObject(scope, edgeType, subfields(scope, edgeType, fieldNodes), (edgeField, edgeNodes) => {
          if (edgeField.name === 'cursor') return w.write(cursor);
          if (edgeField.name !== 'node') return never(`${edgeType.name}.${edgeField.name}`);
          const nodeType = objectTypeOf(edgeField.type, 'node');
          if (tableNameOf(nodeType) !== source.table) never(`${nodeType.name} is not a ${source.table} row`);
          source.node(scope, nodeType, p, edgeNodes);
        });
        w.write(` order by "${p.alias}"."__rn"${backward ? ' desc' : ''})`);
        onPage();
        w.write(`, '[]'::json)`);
        return;
      }
      case 'pageInfo': {
        paged = true;
        const pageInfoType = objectTypeOf(connectionField.type, 'pageInfo');
        assertPublicType(pageInfoType);
        // As the plugin's wrapConnectionResult says them.
        jsonObject(scope, pageInfoType, subfields(scope, pageInfoType, fieldNodes), (pageInfoField) => {
          switch (pageInfoField.name) {
            case 'hasNextPage':
              return paging.before ? w.write('true') : backward ? w.write('false') : morePages();
            case 'hasPreviousPage':
              return paging.after ? w.write('true') : backward ? morePages() : w.write('false');
            case 'startCursor':
              return edgeCursor(backward);
            case 'endCursor':
              return edgeCursor(!backward);
            default:
              return never(`${pageInfoType.name}.${pageInfoField.name}`);
          }
        });
        return;
      }
      case 'totalCount': {
        if (readPlanOf(connectionField.extensions)?.kind !== 'totalCount') never(`${type.name}.totalCount`);
        // Every row of the list, whatever the page.
        const s = new Row(source.table, w.alias('t'));
        w.write(`(select count(*) from ${sqlTableName(source.table)} "${s.alias}" where `);
        writeCondition(source.where(s.table));
        w.write(')');
        return;
      }
      default:
        return never(`${type.name}.${connectionField.name}`);
    }
  });
  if (paged) writePage();
  w.write(')');

  function writeCondition(condition: SQL | undefined) {
    if (condition) w.embed(condition);
    else w.write('true');
  }

  function writeOrder(s: Row, direction: Direction) {
    ordering.keys.forEach((key, index) => {
      if (index > 0) w.write(', ');
      w.embed(key.expression(s.table)).write(` ${direction}`);
    });
  }

  /** Rows past (or before) a cursor: the keys compared as a row with its values, as the plugin does key by key. */
  function writeKeyset(s: Row, which: 'after' | 'before') {
    const ascending = which === 'after' ? ordering.direction === 'asc' : ordering.direction === 'desc';
    w.write(' and (');
    writeKeys(s);
    w.write(`) ${ascending ? '>' : '<'} (`);
    ordering.keys.forEach((key, index) => {
      if (index > 0) w.write(', ');
      w.param(parameterOf(page[which]![index]), key.sqlType, (inputs) =>
        parameterOf(pageFor(inputs)[which]![index]),
      );
    });
    w.write(')');
  }

  function writeKeys(s: Row) {
    ordering.keys.forEach((key, index) => {
      if (index > 0) w.write(', ');
      w.embed(key.expression(s.table));
    });
  }

  /** The page itself, cut before its rows are shaped: only the columns the selection read. */
  function writePage() {
    const s = new Row(source.table, w.alias('s'));
    const direction = backward ? opposite(ordering.direction) : ordering.direction;
    w.write(' from (select ');
    for (const column of p.used) w.write(`"${s.alias}"."${column}", `);
    ordering.keys.forEach((key, index) => {
      w.embed(key.expression(s.table)).write(` as "__k${index}", `);
    });
    w.write('row_number() over (order by ');
    writeOrder(s, direction);
    w.write(`) as "__rn" from ${sqlTableName(source.table)} "${s.alias}" where `);
    writeCondition(source.where(s.table));
    if (paging.after) writeKeyset(s, 'after');
    if (paging.before) writeKeyset(s, 'before');
    w.write(' order by ');
    writeOrder(s, direction);
    w.write(' limit ')
      .param(page.size + 1, 'int', (inputs) => pageFor(inputs).size + 1)
      // HAVING makes the select an aggregate: one row even when the page is empty and no
      // aggregate is selected (only pageInfo's constant flags, say).
      .write(`) "${p.alias}" having true`);
  }
}
