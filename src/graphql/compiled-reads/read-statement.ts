import { getArgumentValues, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { assertPageArgs, defaultPageSize } from '../connections.js';
import { rowIdOf } from '../global-id.js';
import { nameSearchPattern, maxSearchLength } from '../types/company.js';
import type { AcquisitionFilterShape } from '../types/acquisition.js';
import { amountRule, isCurrencyCode } from '../types/money.js';
import { collectFields, objectType, type CollectedFields, type CollectScope } from './collect-fields.js';
import { SqlWriter, type StatementInputs, type StatementTemplate } from './sql-writer.js';

/**
 * The operation asks for something this compiler does not serve; Pothos's resolvers do.
 * `always`: the document alone decides it (a field or shape it never serves), so the
 * answer can be remembered; otherwise it depends on this request's variable values (a
 * cursor, an invalid argument the resolvers will report).
 */
export class NotCompilable extends Error {
  constructor(
    message: string,
    readonly always: boolean,
  ) {
    super(message);
  }
}

const never = (what: string): never => {
  throw new NotCompilable(what, true);
};
const notThisTime = (what: string): never => {
  throw new NotCompilable(what, false);
};

/** What a compiled read may depend on besides the document: its variables and who asks. */
export interface ReadScope extends CollectScope {
  /** The signed-in viewer's user id; null for guests. */
  viewerId: number | null;
}

interface Scope extends ReadScope {
  w: SqlWriter;
}

/** Columns a node's selected fields read, so a page selects only those (index-only scans stay possible). */
type Columns = Set<string>;

// The DateTime scalar serializes a JS Date: toISOString(), milliseconds and Z.
const isoDateTime = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
// Pothos Relay's global id: base64 of "Type:id" (short enough that encode() adds no line breaks).
const globalId = (typename: string, column: string) =>
  `encode(convert_to('${typename}:' || ${column}, 'UTF8'), 'base64')`;

function subfields(scope: Scope, typename: string, nodes: readonly FieldNode[]): CollectedFields {
  return collectFields(
    scope,
    objectType(scope, typename),
    nodes.map((node) => node.selectionSet),
  );
}

type Arguments = Record<string, unknown>;
/** A field's arguments as a request's variables give them. */
type ArgumentsReader = (variables: Record<string, unknown>) => Arguments;

/** Reads a field's arguments; values the resolvers would refuse leave the request to them. */
function argumentsReader(scope: Scope, typename: string, node: FieldNode): ArgumentsReader {
  const field = objectType(scope, typename).getFields()[node.name.value];
  if (!field) return never(`${typename}.${node.name.value}`);
  return (variables) => {
    try {
      return getArgumentValues(field, node, variables);
    } catch {
      return notThisTime(`arguments of ${typename}.${node.name.value}`);
    }
  };
}

/**
 * Whether an argument's value only ever becomes a statement parameter, never text: `first`
 * of a connection and `id` of Query.company/acquisition, each bound through a ParamSource
 * below from every request's own values. A variable given whole to such an argument does
 * not shape the statement (statement-shape.ts); whatever else a variable reaches may.
 */
export function isParameterArgument(fieldName: string, argumentName: string): boolean {
  return (
    argumentName === 'first' ||
    (argumentName === 'id' && (fieldName === 'company' || fieldName === 'acquisition'))
  );
}

// json_build_object takes at most 100 arguments.
const maxKeysPerObject = 50;

/** json_build_object over the response keys in execution order; each value written by `value`. */
function jsonObject(
  scope: Scope,
  typename: string,
  fields: CollectedFields,
  value: (name: string, nodes: FieldNode[]) => void,
): void {
  if (fields.size > maxKeysPerObject) never(`more than ${maxKeysPerObject} fields in one ${typename}`);
  const { w } = scope;
  w.write('json_build_object(');
  let separator = '';
  for (const [key, nodes] of fields) {
    const name = nodes[0]!.name.value;
    w.write(separator).literal(key).write(', ');
    separator = ', ';
    if (name === '__typename') w.literal(typename);
    else value(name, nodes);
  }
  w.write(')');
}

const acquisitionColumns: Record<string, string[]> = {
  id: ['id'],
  status: ['status'],
  price: ['price_amount', 'currency'],
  announcedOn: ['announced_on'],
  closedOn: ['closed_on'],
  notes: ['notes'],
  createdAt: ['created_at'],
  updatedAt: ['updated_at'],
  acquirer: ['acquirer_id'],
  target: ['target_id'],
};

const companyColumns: Record<string, string[]> = {
  id: ['id'],
  name: ['name'],
  website: ['website'],
  industry: ['industry'],
  country: ['country'],
  foundedYear: ['founded_year'],
  description: ['description'],
  createdAt: ['created_at'],
  updatedAt: ['updated_at'],
  acquisitions: ['id'],
  acquiredBy: ['id'],
};

function useColumns(columns: Columns, byField: Record<string, string[]>, name: string): void {
  for (const column of byField[name] ?? []) columns.add(column);
}

function money(scope: Scope, a: string, nodes: FieldNode[]): void {
  const { w } = scope;
  // Price is null unless both halves are known (the resolver's rule).
  w.write(`case when ${a}.price_amount is null or ${a}.currency is null then null else `);
  jsonObject(scope, 'Money', subfields(scope, 'Money', nodes), (name) => {
    if (name === 'amount') w.write(`${a}.price_amount::text`);
    else if (name === 'currency') w.write(`${a}.currency::text`);
    else never(`Money.${name}`);
  });
  w.write(' end');
}

function acquisition(scope: Scope, a: string, fields: CollectedFields, columns: Columns): void {
  const { w } = scope;
  jsonObject(scope, 'Acquisition', fields, (name, nodes) => {
    useColumns(columns, acquisitionColumns, name);
    switch (name) {
      case 'id':
        return w.write(globalId('Acquisition', `${a}.id`));
      case 'status':
        // The enum's GraphQL names are its database values in capitals.
        return w.write(`upper(${a}.status::text)`);
      case 'price':
        return money(scope, a, nodes);
      case 'announcedOn':
        // JSON renders a date as YYYY-MM-DD whatever DateStyle says: no to_char needed.
        return w.write(`${a}.announced_on`);
      case 'closedOn':
        return w.write(`${a}.closed_on`);
      case 'notes':
        return w.write(`${a}.notes`);
      case 'createdAt':
        return w.write(isoDateTime(`${a}.created_at`));
      case 'updatedAt':
        return w.write(isoDateTime(`${a}.updated_at`));
      case 'acquirer':
      case 'target': {
        // One small lookup per row after the page is cut: cheaper than joining companies twice.
        const c = w.alias('c');
        w.write('(select ');
        company(scope, c, subfields(scope, 'Company', nodes), new Set());
        w.write(` from companies ${c} where ${c}.id = ${a}.${name}_id)`);
        return;
      }
      default:
        return never(`Acquisition.${name}`);
    }
  });
}

function company(scope: Scope, c: string, fields: CollectedFields, columns: Columns): void {
  const { w } = scope;
  jsonObject(scope, 'Company', fields, (name, nodes) => {
    useColumns(columns, companyColumns, name);
    switch (name) {
      case 'id':
        return w.write(globalId('Company', `${c}.id`));
      case 'name':
      case 'website':
      case 'industry':
      case 'country':
      case 'description':
        return w.write(`${c}.${name}`);
      case 'foundedYear':
        return w.write(`${c}.founded_year`);
      case 'createdAt':
        return w.write(isoDateTime(`${c}.created_at`));
      case 'updatedAt':
        return w.write(isoDateTime(`${c}.updated_at`));
      case 'acquisitions':
      case 'acquiredBy': {
        const side = name === 'acquisitions' ? 'acquirer_id' : 'target_id';
        const readArgs = argumentsReader(scope, 'Company', nodes[0]!);
        const args = readArgs(scope.variables);
        return connection(scope, nodes, args, readArgs, {
          ...acquisitionSource(args),
          where: (s) => w.write(`${s}.${side} = ${c}.id`),
        });
      }
      default:
        return never(`Company.${name}`);
    }
  });
}

type Direction = 'asc' | 'desc';

interface ConnectionSource {
  table: 'acquisitions' | 'companies';
  connectionType: 'AcquisitionConnection' | 'CompanyConnection';
  /** Writes the node object for page rows aliased `p`, noting the columns it reads. */
  node: (scope: Scope, p: string, nodes: FieldNode[], columns: Columns) => void;
  /** The ordering over source rows aliased `s`, tie-broken by id as the resolvers do. */
  orderBy: (s: string) => string;
  /** Writes the rows' condition over source rows aliased `s`. */
  where: (s: string) => void;
}

function acquisitionOrder(args: Arguments): (s: string) => string {
  const order = args.orderBy as { field: 'announcedOn' | 'price' | 'createdAt'; direction: Direction } | null;
  const direction = order?.direction ?? 'desc';
  switch (order?.field ?? 'announcedOn') {
    case 'price':
      return (s) => `coalesce(${s}.price_amount, -1) ${direction}, ${s}.id ${direction}`;
    case 'createdAt':
      return (s) => `${s}.created_at ${direction}, ${s}.id ${direction}`;
    default:
      return (s) => `coalesce(${s}.announced_on, '-infinity'::date) ${direction}, ${s}.id ${direction}`;
  }
}

function acquisitionSource(args: Arguments): Omit<ConnectionSource, 'where'> {
  return {
    table: 'acquisitions',
    connectionType: 'AcquisitionConnection',
    node: (scope, p, nodes, columns) =>
      acquisition(scope, p, subfields(scope, 'Acquisition', nodes), columns),
    orderBy: acquisitionOrder(args),
  };
}

/** The same conditions as the resolver's filter; a value it would refuse leaves the request to it. */
function acquisitionFilter(
  scope: Scope,
  filter: AcquisitionFilterShape | null | undefined,
): (s: string) => void {
  const conditions: ((s: string) => void)[] = [];
  const { w } = scope;
  const companyId = (id: string) => rowIdOf(id, 'Company') ?? notThisTime('a company id that is not one');
  const amount = (value: string) =>
    amountRule.safeParse(value).success ? value : notThisTime('an amount that is not one');
  if (filter?.status?.length) {
    // An array literal: PGlite would send a JS array as its String() (enum values need no quoting).
    const statuses = `{${filter.status.join(',')}}`;
    conditions.push((s) => w.write(`${s}.status = any(`).param(statuses, 'acquisition_status[]').write(')'));
  }
  if (filter?.acquirerId != null) {
    const id = companyId(filter.acquirerId);
    conditions.push((s) => w.write(`${s}.acquirer_id = `).param(id, 'int'));
  }
  if (filter?.targetId != null) {
    const id = companyId(filter.targetId);
    conditions.push((s) => w.write(`${s}.target_id = `).param(id, 'int'));
  }
  const day = (date: Date) => date.toISOString().slice(0, 10);
  if (filter?.announcedFrom) {
    const from = day(filter.announcedFrom);
    conditions.push((s) => w.write(`coalesce(${s}.announced_on, '-infinity'::date) >= `).param(from, 'date'));
  }
  if (filter?.announcedTo) {
    const to = day(filter.announcedTo);
    conditions.push((s) =>
      w
        .write(`coalesce(${s}.announced_on, '-infinity'::date) <= `)
        .param(to, 'date')
        .write(` and ${s}.announced_on is not null`),
    );
  }
  if (filter?.minPrice != null) {
    const min = amount(filter.minPrice);
    conditions.push((s) => w.write(`coalesce(${s}.price_amount, -1) >= `).param(min, 'numeric'));
  }
  if (filter?.maxPrice != null) {
    const max = amount(filter.maxPrice);
    conditions.push((s) =>
      w
        .write(`coalesce(${s}.price_amount, -1) <= `)
        .param(max, 'numeric')
        .write(` and ${s}.price_amount is not null`),
    );
  }
  if (filter?.currency != null) {
    const currency = filter.currency;
    if (!isCurrencyCode(currency)) notThisTime('a currency that is not one');
    conditions.push((s) => w.write(`${s}.currency = `).param(currency.toUpperCase(), 'char(3)'));
  }
  return (s) => {
    if (conditions.length === 0) w.write('true');
    conditions.forEach((condition, index) => {
      if (index > 0) w.write(' and ');
      condition(s);
    });
  };
}

function companySource(scope: Scope, args: Arguments): ConnectionSource {
  const order = args.orderBy as { field: 'name' | 'createdAt'; direction: Direction } | null;
  const direction = order?.direction ?? 'asc';
  const search = args.search as string | null | undefined;
  if (search != null && search.length > maxSearchLength) notThisTime('a search text that is too long');
  const pattern = nameSearchPattern(search);
  return {
    table: 'companies',
    connectionType: 'CompanyConnection',
    node: (inner, p, nodes, columns) => company(inner, p, subfields(inner, 'Company', nodes), columns),
    orderBy:
      order?.field === 'createdAt'
        ? (s) => `${s}.created_at ${direction}, ${s}.id ${direction}`
        : (s) => `lower(${s}.name) ${direction}, ${s}.id ${direction}`,
    where: (s) => {
      if (pattern === undefined) scope.w.write('true');
      else scope.w.write(`${s}.name ilike `).param(pattern, 'text');
    },
  };
}

/** A first page's size; paging the resolvers do (cursors, `last`) or refuse is left to them. */
function pageSize(args: Arguments): number {
  if (args.after != null || args.before != null || args.last != null) {
    notThisTime('cursors and last');
  }
  try {
    assertPageArgs(args);
  } catch {
    notThisTime('page arguments the resolvers refuse');
  }
  return (args.first as number | null | undefined) ?? defaultPageSize;
}

/**
 * A connection's first page as one sub-select: the page is cut first (ordered, `first + 1`
 * rows, only the columns the selection reads), then its rows are shaped into edges; the
 * extra row only tells hasNextPage, as in the Drizzle plugin.
 */
function connection(
  scope: Scope,
  nodes: FieldNode[],
  args: Arguments,
  readArgs: ArgumentsReader,
  source: ConnectionSource,
): void {
  const first = pageSize(args);
  // Asked up to four times per binding (the check and three parameters): read once per request.
  let sized: { inputs: StatementInputs; size: number } | undefined;
  const firstOf = (inputs: StatementInputs): number => {
    if (sized?.inputs !== inputs) sized = { inputs, size: pageSize(readArgs(inputs.variables)) };
    return sized.size;
  };
  const { w } = scope;
  // A page of totalCount alone binds no size, yet one the resolvers refuse is still theirs.
  w.check(firstOf);
  const edgeType = source.connectionType === 'AcquisitionConnection' ? 'AcquisitionEdge' : 'CompanyEdge';
  const fields = subfields(scope, source.connectionType, nodes);
  const p = w.alias('p');
  const columns: Columns = new Set(['id']);
  let paged = false;
  w.write('(select ');
  jsonObject(scope, source.connectionType, fields, (name, fieldNodes) => {
    switch (name) {
      case 'edges':
        paged = true;
        w.write('coalesce(json_agg(');
        jsonObject(scope, edgeType, subfields(scope, edgeType, fieldNodes), (edgeField, edgeNodes) => {
          if (edgeField !== 'node') never(`${edgeType}.${edgeField}`);
          source.node(scope, p, edgeNodes, columns);
        });
        w.write(` order by ${p}.__rn) filter (where ${p}.__rn <= `).param(first, 'int', firstOf);
        w.write(`), '[]'::json)`);
        return;
      case 'pageInfo':
        paged = true;
        jsonObject(scope, 'PageInfo', subfields(scope, 'PageInfo', fieldNodes), (pageField) => {
          if (pageField === 'hasNextPage') w.write('count(*) > ').param(first, 'int', firstOf);
          else if (pageField === 'hasPreviousPage') w.write('false');
          else never(`PageInfo.${pageField}`);
        });
        return;
      case 'totalCount': {
        const s = w.alias('s');
        w.write(`(select count(*) from ${source.table} ${s} where `);
        source.where(s);
        w.write(')');
        return;
      }
      default:
        return never(`${source.connectionType}.${name}`);
    }
  });
  if (paged) {
    const s = w.alias('s');
    const selected = [...columns].map((column) => `${s}.${column}`).join(', ');
    const orderBy = source.orderBy(s);
    w.write(` from (select ${selected}, row_number() over (order by ${orderBy}) as __rn`);
    w.write(` from ${source.table} ${s} where `);
    source.where(s);
    w.write(` order by ${orderBy} limit `)
      .param(first + 1, 'int', (inputs) => firstOf(inputs) + 1)
      .write(`) ${p}`);
  }
  w.write(')');
}

/** `me`: the viewer's own account (its email included, as User's self-or-admin rule allows), or null. */
function me(scope: Scope, nodes: FieldNode[]): void {
  const { w } = scope;
  const fields = subfields(scope, 'User', nodes);
  if (scope.viewerId === null) {
    w.write('null::json');
    return;
  }
  const u = w.alias('u');
  w.write('(select ');
  jsonObject(scope, 'User', fields, (name) => {
    switch (name) {
      case 'id':
        return w.write(globalId('User', `${u}.id`));
      case 'name':
      case 'email':
        return w.write(`${u}.${name}`);
      case 'role':
        return w.write(`upper(${u}.role::text)`);
      case 'createdAt':
        return w.write(isoDateTime(`${u}.created_at`));
      case 'updatedAt':
        return w.write(isoDateTime(`${u}.updated_at`));
      default:
        return never(`User.${name}`);
    }
  });
  w.write(` from users ${u} where ${u}.id = `)
    .param(scope.viewerId, 'int', ({ viewerId }) => viewerId)
    .write(')');
}

function byId(scope: Scope, typename: 'Company' | 'Acquisition', nodes: FieldNode[]): void {
  const { w } = scope;
  const readArgs = argumentsReader(scope, 'Query', nodes[0]!);
  const idOf = (variables: Record<string, unknown>) =>
    rowIdOf(readArgs(variables).id as string, typename) ?? notThisTime(`an id that is not a ${typename} id`);
  const id = idOf(scope.variables);
  const alias = w.alias(typename === 'Company' ? 'c' : 'a');
  const table = typename === 'Company' ? 'companies' : 'acquisitions';
  const fields = subfields(scope, typename, nodes);
  w.write('(select ');
  if (typename === 'Company') company(scope, alias, fields, new Set());
  else acquisition(scope, alias, fields, new Set());
  w.write(` from ${table} ${alias} where ${alias}.id = `)
    .param(id, 'int', ({ variables }) => idOf(variables))
    .write(')');
}

/**
 * One statement answering a whole query operation over the public read fields
 * (acquisitions, companies, acquisition, company and what hangs off them) and the
 * viewer's own account (`me`), with the JSON
 * built in Postgres: `select json_build_object(…)::text as data`. Throws NotCompilable for
 * anything else, which Pothos's resolvers then serve. The result serves every request of
 * the same shape (statement-shape.ts), binding each one's own parameter values.
 */
export function readStatement(scope: ReadScope, operation: OperationDefinitionNode): StatementTemplate {
  if (operation.operation !== 'query') never(`a ${operation.operation}`);
  const inner: Scope = { ...scope, w: new SqlWriter() };
  const { w } = inner;
  const query = objectType(inner, 'Query');
  w.write('select ');
  jsonObject(inner, 'Query', collectFields(inner, query, [operation.selectionSet]), (name, nodes) => {
    switch (name) {
      case 'acquisitions': {
        const readArgs = argumentsReader(inner, 'Query', nodes[0]!);
        const args = readArgs(inner.variables);
        return connection(inner, nodes, args, readArgs, {
          ...acquisitionSource(args),
          where: acquisitionFilter(inner, args.filter as AcquisitionFilterShape | null),
        });
      }
      case 'companies': {
        const readArgs = argumentsReader(inner, 'Query', nodes[0]!);
        const args = readArgs(inner.variables);
        return connection(inner, nodes, args, readArgs, companySource(inner, args));
      }
      case 'company':
        return byId(inner, 'Company', nodes);
      case 'acquisition':
        return byId(inner, 'Acquisition', nodes);
      case 'me':
        return me(inner, nodes);
      default:
        return never(`Query.${name}`);
    }
  });
  // Nothing to read (only __typename, or a guest's `me`): the resolvers answer without a round trip.
  if (!w.readsTables) notThisTime('no table to read');
  // As text: the response is written as Postgres built it, never parsed and re-serialized.
  w.write('::text as data');
  return w.toTemplate();
}
