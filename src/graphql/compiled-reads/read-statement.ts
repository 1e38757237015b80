import { and, eq, type Column, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  getNamedType,
  isInterfaceType,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLObjectType,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import { relations } from '../../db/relations.js';
import { globalIdParts, rowIdOf } from '../global-id.js';
import { readPlanOf, type ReadPlan, type TableName } from '../read-plans.js';
import {
  assertConditionsReadable,
  collectFields,
  objectType,
  type CollectedFields,
  type CollectScope,
} from './collect-fields.js';
import { globalIdSql } from './encodings.js';
import { fragmentPagesCheck } from './fragment-pages.js';
import { never, notThisTime } from './not-compilable.js';
import { connection, type ListSource } from './page.js';
import { assertPublicField, assertPublicType, fieldArguments, isPublicType } from './public-fields.js';
import { objectTypeOf, Row, sqlTableName, tableNameOf } from './row.js';
import { SqlWriter, type ParamSource, type StatementTemplate } from './sql-writer.js';
import { columnValue } from './values.js';

export { NotCompilable } from './not-compilable.js';

/** What a compiled read may depend on besides the document: its variables and who asks. */
export interface ReadScope extends CollectScope {
  /** The signed-in viewer's user id; null for guests. */
  viewerId: number | null;
}

export interface Scope extends ReadScope {
  w: SqlWriter;
}

type Arguments = Record<string, unknown>;

/** A field's arguments for any request of the shape, as its resolver would get them. */
export type ArgumentsReader = (variables: Record<string, unknown>, only?: ReadonlySet<string>) => Arguments;

export function argumentsReader(field: GraphQLField<unknown, unknown>, node: FieldNode): ArgumentsReader {
  if (node.arguments?.some((argument) => holdsVariable(argument.value))) {
    return (variables, only) => fieldArguments(field, node, variables, only);
  }
  // Literals only: every request of the shape gets the same arguments, read once (frozen,
  // as they are shared).
  const read = new Map<ReadonlySet<string> | undefined, Arguments>();
  return (variables, only) => {
    let args = read.get(only);
    if (!args) {
      args = Object.freeze(fieldArguments(field, node, variables, only));
      read.set(only, args);
    }
    return args;
  };
}

const holdsVariable = (value: ValueNode): boolean =>
  value.kind === Kind.VARIABLE ||
  (value.kind === Kind.LIST && value.values.some(holdsVariable)) ||
  (value.kind === Kind.OBJECT && value.fields.some((field) => holdsVariable(field.value)));

// json_build_object takes at most 100 arguments.
const maxKeysPerObject = 50;

/** json_build_object over the response keys in execution order; each value written by `value`. */
export function jsonObject(
  scope: Scope,
  type: GraphQLObjectType,
  fields: CollectedFields,
  value: (field: GraphQLField<unknown, unknown>, nodes: FieldNode[]) => void,
): void {
  if (fields.size > maxKeysPerObject) never(`more than ${maxKeysPerObject} fields in one ${type.name}`);
  const { w } = scope;
  w.write('json_build_object(');
  let separator = '';
  for (const [key, nodes] of fields) {
    const name = nodes[0]!.name.value;
    w.write(separator).literal(key).write(', ');
    separator = ', ';
    if (name === '__typename') {
      w.literal(type.name);
      continue;
    }
    const field = type.getFields()[name] ?? never(`${type.name}.${name}`);
    assertPublicField(type, field);
    value(field, nodes);
  }
  w.write(')');
}

export const subfields = (scope: Scope, type: GraphQLObjectType, nodes: readonly FieldNode[]) =>
  collectFields(
    scope,
    type,
    nodes.map((node) => node.selectionSet),
  );

/** Whether `field` is Relay's `id` of a Node type: the global id of its row's primary key. */
export const isNodeId = (type: GraphQLObjectType, field: GraphQLField<unknown, unknown>) =>
  field.name === 'id' && type.getInterfaces().some((i) => i.name === 'Node');

/**
 * The JSON object for a row of a table-backed type, from the fields the selection asks
 * for: columns the fields expose, the Node id, and what their read plans describe.
 */
export function rowObject(
  scope: Scope,
  type: GraphQLObjectType,
  row: Row,
  nodes: readonly FieldNode[],
  grants?: readonly unknown[],
): void {
  assertPublicType(type, grants);
  const { w } = scope;
  jsonObject(scope, type, subfields(scope, type, nodes), (field, fieldNodes) => {
    const plan = readPlanOf(field.extensions);
    if (plan) return plannedField(scope, type, row, field, fieldNodes, plan);
    if (isNodeId(type, field)) return w.write(globalIdSql(type.name, row.ref(row.primaryKey())));
    const exposed = (field.extensions as { pothosExposedField?: unknown }).pothosExposedField;
    if (typeof exposed === 'string') return columnValue(w, field.type, row.column(exposed), row.ref(exposed));
    never(`${type.name}.${field.name} has no read plan`);
  });
}

function plannedField(
  scope: Scope,
  type: GraphQLObjectType,
  row: Row,
  field: GraphQLField<unknown, unknown>,
  nodes: FieldNode[],
  plan: ReadPlan,
): void {
  switch (plan.kind) {
    case 'relation':
      return relation(scope, row, field, nodes, plan.relation);
    case 'relatedList':
      return relatedList(scope, row, field, nodes, plan);
    case 'embedded':
      return embedded(scope, row, field, nodes, plan.columns);
    default:
      return never(`${type.name}.${field.name}: a ${plan.kind} plan on an object`);
  }
}

interface RelationEnds {
  target: TableName;
  /** The condition joining a target row (aliased `target`) to `row`. */
  condition: (target: PgTable) => SQL;
}

type RelationColumn = { _: { key: string } };

/** A relation of `row`'s table as relations.ts defines it, both read paths' one source. */
function relationEnds(row: Row, name: string): RelationEnds {
  const relation = (
    relations[row.tableName].relations as Record<
      string,
      {
        targetTableName: string;
        sourceColumns: RelationColumn[];
        targetColumns: RelationColumn[];
        through?: unknown;
      }
    >
  )[name];
  if (!relation || relation.through || !(relation.targetTableName in relations)) {
    return never(`${row.tableName}.${name} is not a direct relation`);
  }
  return {
    target: relation.targetTableName as TableName,
    condition: (target) =>
      and(
        ...relation.sourceColumns.map((source, index) =>
          eq(
            (target as unknown as Record<string, Column>)[relation.targetColumns[index]!._.key]!,
            row.column(source._.key),
          ),
        ),
      )!,
  };
}

function relation(
  scope: Scope,
  row: Row,
  field: GraphQLField<unknown, unknown>,
  nodes: FieldNode[],
  name: string,
) {
  const { w } = scope;
  const ends = relationEnds(row, name);
  const type = objectTypeOf(field.type, field.name);
  if (tableNameOf(type) !== ends.target) never(`${field.name} does not return ${ends.target}`);
  // One small lookup per row after the page is cut: cheaper than joining the table in.
  const target = new Row(ends.target, w.alias('r'));
  w.write('(select ');
  rowObject(scope, type, target, nodes);
  w.write(` from ${sqlTableName(ends.target)} "${target.alias}" where `)
    .embed(ends.condition(target.table))
    .write(')');
}

function relatedList(
  scope: Scope,
  row: Row,
  field: GraphQLField<unknown, unknown>,
  nodes: FieldNode[],
  plan: Extract<ReadPlan, { kind: 'relatedList' }>,
) {
  const ends = relationEnds(row, plan.relation);
  const readArgs = argumentsReader(field, nodes[0]!);
  const args = readArgs(scope.variables);
  const source: ListSource = {
    table: ends.target,
    where: ends.condition,
    ordering: plan.ordering(args),
    node: rowObject,
  };
  connection(scope, field, nodes, readArgs, args, source);
}

function embedded(
  scope: Scope,
  row: Row,
  field: GraphQLField<unknown, unknown>,
  nodes: FieldNode[],
  columns: Readonly<Record<string, string>>,
) {
  const { w } = scope;
  const type = objectTypeOf(field.type, field.name);
  assertPublicType(type);
  const refs = Object.values(columns).map((key) => row.ref(key));
  w.write(`case when ${refs.map((ref) => `${ref} is null`).join(' or ')} then null else `);
  jsonObject(scope, type, subfields(scope, type, nodes), (property) => {
    const exposed = (property.extensions as { pothosExposedField?: unknown }).pothosExposedField;
    const key = typeof exposed === 'string' ? columns[exposed] : undefined;
    if (key === undefined) return never(`${type.name}.${property.name} is not one of the columns`);
    columnValue(w, property.type, row.column(key), row.ref(key));
  });
  w.write(' end');
}

/**
 * `(select <object> from <table> where <primary key> = $id)`: one row of a type by its
 * id, a parameter (`id` for this request, `source` for others of the shape), or null.
 */
function rowById(
  scope: Scope,
  type: GraphQLObjectType,
  table: TableName,
  nodes: readonly FieldNode[],
  id: { value: number | null; source: ParamSource },
  grants?: readonly unknown[],
): void {
  const { w } = scope;
  const row = new Row(table, w.alias('l'));
  w.write('(select ');
  rowObject(scope, type, row, nodes, grants);
  w.write(` from ${sqlTableName(table)} "${row.alias}" where ${row.ref(row.primaryKey())} = `)
    .param(id.value, 'int', id.source)
    .write(')');
}

/** A root field's row of `table` by the global id in its `id` argument, or null. */
function lookup(scope: Scope, field: GraphQLField<unknown, unknown>, nodes: FieldNode[], table: TableName) {
  const type = objectTypeOf(field.type, field.name);
  if (tableNameOf(type) !== table) never(`${field.name} does not return ${table}`);
  const readArgs = argumentsReader(field, nodes[0]!);
  const idOf = (variables: Record<string, unknown>) =>
    rowIdOf(readArgs(variables, idArgument).id as string, type.name) ??
    notThisTime(`an id that is not a ${type.name} id`);
  rowById(scope, type, table, nodes, {
    value: idOf(scope.variables),
    source: ({ variables }) => idOf(variables),
  });
}

const idArgument: ReadonlySet<string> = new Set(['id']);

/**
 * Relay's node(id:): a branch per public table-backed type that implements Node, each
 * reading its table by the id only when the id names that type (the others get null).
 * An id of another type (an account, a key) or a malformed one leaves the request to the
 * resolvers, which apply that type's rules.
 */
function node(scope: Scope, field: GraphQLField<unknown, unknown>, nodes: FieldNode[]) {
  const { w } = scope;
  const nodeInterface = getNamedType(field.type);
  if (!isInterfaceType(nodeInterface)) return never('node does not return an interface');
  const readArgs = argumentsReader(field, nodes[0]!);
  const types = scope.schema
    .getPossibleTypes(nodeInterface)
    .filter((type) => tableNameOf(type) !== undefined && isPublicType(type));
  if (types.length === 0) never('no public Node type');
  const served = new Set(types.map((type) => type.name));
  const idOf = (variables: Record<string, unknown>, typename: string): number | null => {
    const id = readArgs(variables, idArgument).id as string;
    const decoded = globalIdParts(id);
    if (!decoded || !served.has(decoded.typename)) return notThisTime('an id the resolvers answer');
    if (decoded.typename !== typename) return null;
    return rowIdOf(id, typename) ?? notThisTime('a malformed id');
  };
  w.write('coalesce(');
  types.forEach((type, index) => {
    if (index > 0) w.write(', ');
    rowById(scope, type, tableNameOf(type)!, nodes, {
      value: idOf(scope.variables, type.name),
      source: ({ variables }) => idOf(variables, type.name),
    });
  });
  // coalesce needs two arguments; a second null keeps it valid with one type.
  w.write(types.length === 1 ? ', null::json)' : ')');
}

/** The viewer's own account (what `me` answers), or null for a guest. */
function viewer(
  scope: Scope,
  field: GraphQLField<unknown, unknown>,
  nodes: FieldNode[],
  plan: Extract<ReadPlan, { kind: 'viewer' }>,
) {
  const { w } = scope;
  const type = objectTypeOf(field.type, field.name);
  const table = tableNameOf(type) ?? never(`${type.name} is not a table`);
  if (scope.viewerId === null) {
    // Written aside and dropped, only to meet what the selection would refuse (a
    // directive's null condition), as the resolvers do before they find there is no viewer.
    const aside: Scope = { ...scope, w: new SqlWriter() };
    rowObject(aside, type, new Row(table, aside.w.alias('v')), nodes, plan.grants);
    w.write('null::json');
    return;
  }
  rowById(
    scope,
    type,
    table,
    nodes,
    { value: scope.viewerId, source: ({ viewerId }) => viewerId },
    plan.grants,
  );
}

/**
 * One statement answering a whole query operation whose every field the schema lets the
 * compiler serve (see public-fields.ts and read-plans.ts), with the JSON built in
 * Postgres: `select json_build_object(…)::text as data`. Throws NotCompilable for anything
 * else, which Pothos's resolvers then serve. The result serves every request of the same
 * shape (statement-shape.ts), binding each one's own parameter values.
 */
export function readStatement(scope: ReadScope, operation: OperationDefinitionNode): StatementTemplate {
  if (operation.operation !== 'query') never(`a ${operation.operation}`);
  assertConditionsReadable(scope, operation);
  const inner: Scope = { ...scope, w: new SqlWriter() };
  const { w } = inner;
  const pages = fragmentPagesCheck(scope, operation);
  if (pages) {
    pages.check(scope.variables);
    // Arguments read from variables are checked again for each request of the shape.
    if (!pages.pinned) w.check(({ variables }) => pages.check(variables));
  }
  const query = objectType(inner, 'Query');
  assertPublicType(query);
  w.write('select ');
  jsonObject(inner, query, collectFields(inner, query, [operation.selectionSet]), (field, nodes) => {
    const plan = readPlanOf(field.extensions) ?? never(`Query.${field.name} has no read plan`);
    switch (plan.kind) {
      case 'lookup':
        return lookup(inner, field, nodes, plan.table);
      case 'list': {
        const readArgs = argumentsReader(field, nodes[0]!);
        const args = readArgs(inner.variables);
        const source: ListSource = {
          table: plan.table,
          where: (table) => plan.where(args, table),
          ordering: plan.ordering(args),
          node: rowObject,
        };
        return connection(inner, field, nodes, readArgs, args, source);
      }
      case 'node':
        return node(inner, field, nodes);
      case 'viewer':
        return viewer(inner, field, nodes, plan);
      default:
        return never(`Query.${field.name}: a ${plan.kind} plan at the root`);
    }
  });
  // Nothing to read (only __typename, or a guest's `me`): the resolvers answer without a round trip.
  if (!w.readsTables) notThisTime('no table to read');
  // As text: the response is written as Postgres built it, never parsed and re-serialized.
  w.write('::text as data');
  return w.toTemplate();
}
