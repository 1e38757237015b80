import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  DirectiveLocation,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Lexer,
  Source,
  TokenKind,
  type GraphQLArgument,
  type GraphQLDirective,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Random } from './random.js';

/**
 * A seeded random-query generator that walks the schema from `Query`: every field,
 * argument, enum value and input field it uses comes from the schema, so a field added
 * later is generated without anyone listing it. What the schema cannot say (which values
 * of a String argument are interesting, which type an `…Id` names) comes from the value
 * pools below, chosen by argument or input field name.
 */

/** Response keys from the root to a value; '*' stands for every item of a list. */
export type AnswerPath = readonly string[];

/** Where a generated query's answer holds cursors, and of which list. */
export interface CursorSite {
  path: AnswerPath;
  list: string;
}

export interface GeneratedQuery {
  query: string;
  /** The variables the request sends (omitted ones are absent, null ones null). */
  variables: Record<string, unknown>;
  /** Where the answer will carry cursors (edge cursors, start/end cursors), by list. */
  cursorSites: CursorSite[];
}

/**
 * Cursors seen in answers, by list: a connection type and its ordering. A cursor from its
 * own list is a valid position in any page of it (filters aside); one from another list
 * is foreign there.
 */
export class CursorPool {
  readonly #byList = new Map<string, string[]>();

  add(list: string, cursor: string): void {
    let cursors = this.#byList.get(list);
    if (!cursors) this.#byList.set(list, (cursors = []));
    if (!cursors.includes(cursor)) cursors.push(cursor);
  }

  of(list: string): readonly string[] {
    return this.#byList.get(list) ?? [];
  }

  lists(): string[] {
    return [...this.#byList.keys()].sort();
  }

  get size(): number {
    let size = 0;
    for (const cursors of this.#byList.values()) size += cursors.length;
    return size;
  }
}

/** Whether a field has auth rules of its own (Pothos's `authScopes` on the field). */
export function hasAuthRules(field: GraphQLField<unknown, unknown>): boolean {
  const options = field.extensions?.pothosOptions as { authScopes?: unknown } | undefined;
  return !!options?.authScopes;
}

/** The key of a list for the cursor pool: the connection type and the ordering asked for. */
export const listKey = (connectionType: string, ordering: unknown): string =>
  `${connectionType}|${ordering === undefined ? 'default' : JSON.stringify(canonical(ordering))}`;

/** A value with its object keys sorted: `{direction, field}` and `{field, direction}` are one ordering. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}

export interface ValuePools {
  /** Global ids of rows that exist, by type name. */
  ids: ReadonlyMap<string, readonly string[]>;
  cursors: CursorPool;
}

/**
 * Bounds that keep documents under the service's operation limits (depth 15, 15 aliases,
 * 20 directives, 2,000 tokens, cost 50,000): a document over one would only ever meet the
 * same validation error on both paths.
 */
export interface GeneratorLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxFields: number;
  /** Largest product of page sizes down a chain of nested connections (the cost's multiplier). */
  maxPageProduct: number;
}

export const defaultGeneratorLimits: GeneratorLimits = {
  maxDepth: 12,
  maxAliases: 12,
  maxDirectives: 16,
  maxTokens: 1800,
  maxFields: 30,
  maxPageProduct: 2000,
};

// ---- value pools (by argument or input field name) ----

/** Values a field accepts, and a few it must refuse: `pickValue` takes a refused one now and then. */
interface Pool<T> {
  valid: readonly T[];
  invalid: readonly T[];
}
const searchTexts: Pool<string> = {
  valid: [
    'a',
    'an',
    '  an ',
    'co',
    'LLC',
    'Inc',
    'soft',
    'MICRO',
    '%',
    '_',
    '%_',
    '100%_',
    '\\',
    '\\%',
    "'",
    "O'",
    '"',
    '"Quotes"',
    'ü',
    'Ü',
    'ÜNÏ',
    'ß',
    'İ',
    '☃',
    '🚀',
    '\n',
    '\t',
    'tab\t',
    ' ',
    '',
    ' x ',
    'zzzz-no-match',
    'x'.repeat(200),
  ],
  invalid: ['x'.repeat(201), 'y'.repeat(256)],
};
const amounts: Pool<string> = {
  valid: [
    '0',
    '1',
    '1000000',
    '25000000.5',
    '100000000',
    '1000000000.00',
    '5000000000',
    '99999999999',
    '999999999999999999.99',
  ],
  invalid: ['12.345', '-1', '1e9', 'abc', '', '1000000000000000000'],
};
const currencies: Pool<string> = {
  valid: ['USD', 'usd', 'EUR', 'GBP', 'JPY', 'Jpy', 'CHF'],
  invalid: ['XYZ', 'US', 'USDD', '', '€'],
};
const dates: Pool<string> = {
  valid: [
    '1990-01-01',
    '2000-06-15',
    '2005-01-01',
    '2010-12-31',
    '2015-07-04',
    '2020-02-29',
    '2024-12-31',
    '2025-12-31',
  ],
  invalid: ['2021-02-30', '20200101', 'yesterday'],
};
const dateTimes: Pool<string> = {
  valid: ['2020-01-01T00:00:00Z', '2035-06-01T12:00:00.000Z', '1999-12-31T23:59:59.999Z'],
  invalid: ['soon', '2020-01-01'],
};
const strings: Pool<string> = {
  valid: ['x', 'Acme', '', ' ', '%', '_', '\\', '"', "'", 'line\nbreak', 'ü', '🚀'],
  invalid: ['x'.repeat(300)],
};
const ints = [0, 1, 2, 5, 7, -1, 1000, 2_147_483_647];
const pageSizes: readonly (readonly [number, number])[] = [
  [0, 1.5],
  [1, 3],
  [2, 2],
  [5, 2],
  [20, 2],
  [100, 1.5],
  [101, 1],
  [-1, 0.3],
];
/** Row ids no row has, or that are not row ids at all. */
const missingRowIds = ['999999', '2147483647', '2147483648', '0', '-1', '1.5', 'abc', '01', ''];
const malformedIds = [
  'nope',
  '',
  ' ',
  '%%%',
  '🚀',
  Buffer.from('Company').toString('base64'),
  'x'.repeat(300),
];

// ---- the document being written ----

interface Mark {
  variables: number;
  booleans: number;
  values: string[];
}

/**
 * Response keys already used in one selection set (fragments on it included): a key may
 * recur only for the same field with the same arguments, so the document stays valid.
 */
type Scope = Map<string, ScopeEntry>;

interface ScopeEntry {
  signature: string;
  children: Scope;
  /** The type the field was selected on. */
  parent: string;
  /** Selects the same field again, with another selection below it (execution merges the two). */
  again?: () => string;
}

/** Where in the document a selection is written. */
interface At {
  depth: number;
  path: string[];
  /** The enclosing connection's list key while inside its edges and pageInfo (not its nodes). */
  list?: string;
  /** Product of the page sizes of the connections above (the cost's multiplier). */
  pageProduct: number;
}

/** What an argument's value turned out to be once variables and defaults are applied. */
interface Argument {
  text: string;
  /** The value the field receives; undefined when it receives none. */
  effective: unknown;
}

class Draft {
  readonly variableDefinitions: string[] = [];
  readonly variables: Record<string, unknown> = {};
  readonly fragments: string[] = [];
  readonly cursorSites: CursorSite[] = [];
  readonly booleans: string[] = [];
  aliases = 0;
  directives = 0;
  fields = 0;
  names = 0;

  constructor(
    readonly rng: Random,
    readonly schema: GraphQLSchema,
    readonly pools: ValuePools,
    readonly limits: GeneratorLimits,
    readonly nodeTypes: readonly string[],
    readonly conditionals: readonly GraphQLDirective[],
    /** A clean query uses only values the service accepts; the others also try what it must refuse. */
    readonly clean: boolean,
  ) {}

  /** Something the service must refuse, with this probability, in queries that are not clean. */
  mischief(probability: number): boolean {
    return !this.clean && this.rng.chance(probability);
  }

  name(prefix: string): string {
    return `${prefix.replace(/\W/g, '')}${++this.names}`;
  }

  mark(): Mark {
    return {
      variables: this.variableDefinitions.length,
      booleans: this.booleans.length,
      values: Object.keys(this.variables),
    };
  }

  rollback(mark: Mark): void {
    this.variableDefinitions.length = mark.variables;
    this.booleans.length = mark.booleans;
    for (const key of Object.keys(this.variables)) {
      if (!mark.values.includes(key)) delete this.variables[key];
    }
  }
}

// ---- values ----

const isConnection = (type: GraphQLNamedType): type is GraphQLObjectType =>
  isObjectType(type) && 'edges' in type.getFields() && 'pageInfo' in type.getFields();

/** The node types an ID argument or input field names: `id` of a field → its type; `xId` → the type of a field `x`. */
function idTypesFor(draft: Draft, hint: string, field?: GraphQLField<unknown, unknown>): readonly string[] {
  if (hint === 'id' && field) {
    const type = getNamedType(field.type);
    if (isObjectType(type)) return [type.name];
    if (isInterfaceType(type)) return draft.schema.getPossibleTypes(type).map((t) => t.name);
  }
  const match = /^(\w+)Id$/.exec(hint);
  if (match) {
    for (const type of Object.values(draft.schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      const named = type.getFields()[match[1]!];
      if (named && isObjectType(getNamedType(named.type))) return [getNamedType(named.type).name];
    }
  }
  return draft.nodeTypes;
}

function idValue(draft: Draft, types: readonly string[]): string {
  const { rng, pools } = draft;
  const own = types.flatMap((type) => pools.ids.get(type) ?? []);
  const others = draft.nodeTypes
    .filter((type) => !types.includes(type))
    .flatMap((type) => pools.ids.get(type) ?? []);
  const kind = rng.weighted([
    ['existing', own.length ? 65 : 0],
    ['missing', draft.clean && own.length ? 0 : 12],
    ['other type', others.length && !draft.clean ? 10 : 0],
    ['malformed', draft.clean ? 0 : 13],
  ] as const);
  switch (kind) {
    case 'existing':
      return rng.pick(own);
    case 'other type':
      return rng.pick(others);
    case 'missing':
      return encodeGlobalID(rng.pick(types), rng.pick(missingRowIds));
    default:
      return rng.pick(malformedIds);
  }
}

/** A cursor for a list: mostly its own, else another list's, base64 garbage or a `DC:` cursor of the wrong shape. */
function cursorValue(draft: Draft, list: string | undefined): string {
  const { rng, pools } = draft;
  const own = list ? pools.cursors.of(list) : [];
  const foreign = pools.cursors.lists().filter((other) => other !== list);
  const clean = draft.clean && own.length > 0;
  const kind = rng.weighted([
    ['own', own.length ? 60 : 0],
    ['foreign', foreign.length && !clean ? 15 : 0],
    ['garbage', clean ? 0 : 8],
    ['misshapen', clean ? 0 : 14],
    ['edited', own.length && !clean ? 3 : 0],
  ] as const);
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  switch (kind) {
    case 'own':
      return rng.pick(own);
    case 'foreign':
      return rng.pick(pools.cursors.of(rng.pick(foreign)));
    case 'garbage':
      return rng.pick([base64('garbage'), 'not base64!', '', base64('DC:'), base64('GPC:N:1'), '🚀']);
    case 'edited': {
      const decoded = Buffer.from(rng.pick(own), 'base64').toString('utf8');
      return base64(decoded.replace(/\d/, '9').replace('"S:', '"N:'));
    }
    default: {
      // Wrong tags, arity and value types: a number where a date or a name belongs, three parts for two.
      const chunk = () =>
        rng.pick([
          'N:5',
          'N:-1',
          'N:1e400',
          'S:zzz',
          'S:',
          'D:0',
          'D:abc',
          'M:12.5',
          'Z:',
          'O:{"a":1}',
          'X:1',
          'I:9',
          null,
        ]);
      const parts = Array.from({ length: rng.between(1, 3) }, chunk);
      return base64(
        rng.pick([
          `DC:T:${JSON.stringify(parts)}`,
          `DC:${parts[0] ?? 'Z:'}`,
          'DC:T:notjson',
          'DC:J:[1,2]',
          'DC:T:{"a":1}',
        ]),
      );
    }
  }
}

function pickValue<T>(draft: Draft, pool: Pool<T>): T {
  return draft.rng.pick(draft.mischief(0.1) ? pool.invalid : pool.valid);
}

function scalarValue(draft: Draft, type: GraphQLNamedType, hint: string, context: ValueContext): unknown {
  const { rng } = draft;
  switch (hint) {
    case 'first':
    case 'last': {
      const crowded = context.pageProduct * 100 > draft.limits.maxPageProduct;
      const refused = (size: number) => size < 0 || size > 100;
      return rng.weighted(
        pageSizes.map(([size, weight]) => [
          size,
          draft.clean && refused(size) ? 0 : crowded && size >= 20 && size <= 100 ? weight / 8 : weight,
        ]),
      );
    }
    case 'after':
    case 'before':
      return cursorValue(draft, context.list);
    case 'search':
      return pickValue(draft, searchTexts);
    case 'minPrice':
    case 'maxPrice':
      return pickValue(draft, amounts);
    case 'currency':
      return pickValue(draft, currencies);
  }
  switch (type.name) {
    case 'ID':
      return idValue(draft, idTypesFor(draft, hint, context.field));
    case 'Int':
      return rng.pick(ints);
    case 'Boolean':
      return rng.chance(0.5);
    case 'Date':
      return pickValue(draft, dates);
    case 'DateTime':
      return pickValue(draft, dateTimes);
    default:
      return pickValue(draft, strings);
  }
}

interface ValueContext {
  field?: GraphQLField<unknown, unknown>;
  list?: string;
  pageProduct: number;
}

/** A value of `type` as JSON (enum values by name), mostly valid. */
function inputValue(draft: Draft, type: GraphQLInputType, hint: string, context: ValueContext): unknown {
  const { rng } = draft;
  if (isNonNullType(type)) {
    // Rarely null where the schema forbids it: validation or coercion must refuse it on both paths.
    return draft.mischief(0.01) ? null : presentValue(draft, type.ofType, hint, context);
  }
  return rng.chance(0.05) ? null : presentValue(draft, type, hint, context);
}

function presentValue(draft: Draft, type: GraphQLInputType, hint: string, context: ValueContext): unknown {
  const { rng } = draft;
  if (isListType(type)) {
    // A single value where a list belongs is coerced to a list of one.
    if (rng.chance(0.1)) return inputValue(draft, type.ofType, hint, context);
    return Array.from(
      {
        length: rng.weighted([
          [0, 2],
          [1, 4],
          [2, 3],
          [3, 1],
        ] as const),
      },
      () => inputValue(draft, type.ofType, hint, context),
    );
  }
  if (isEnumType(type)) {
    return draft.mischief(0.01) ? 'NOT_A_VALUE' : rng.pick(type.getValues()).name;
  }
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of rng.shuffled(Object.values(type.getFields()))) {
      const present = isNonNullType(field.type) ? !draft.mischief(0.01) : rng.chance(0.35);
      if (present) value[field.name] = inputValue(draft, field.type, field.name, context);
    }
    return value;
  }
  return scalarValue(draft, getNamedType(type), hint, context);
}

/** `value` written as a GraphQL literal of `type` (a value of the wrong shape is written as best it can be). */
function literal(value: unknown, type: GraphQLInputType): string {
  if (value === null) return 'null';
  const nullable = isNonNullType(type) ? type.ofType : type;
  if (isListType(nullable)) {
    return Array.isArray(value)
      ? `[${value.map((item) => literal(item, nullable.ofType)).join(', ')}]`
      : literal(value, nullable.ofType);
  }
  if (isEnumType(nullable) && typeof value === 'string') return /^[_A-Za-z]\w*$/.test(value) ? value : '_';
  if (isInputObjectType(nullable) && typeof value === 'object' && !Array.isArray(value)) {
    const fields = nullable.getFields();
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([name, item]) => `${name}: ${literal(item, fields[name]?.type ?? nullable)}`)
      .join(', ')}}`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** A JSON value of the wrong type for a variable of `type`: coercion must refuse it on both paths. */
function wrongValue(draft: Draft, type: GraphQLInputType): unknown {
  const named = getNamedType(type);
  if (named.name === 'Int' || named.name === 'Boolean') return draft.rng.pick(['20', 'yes', 1.5, {}]);
  if (isInputObjectType(named)) return draft.rng.pick(['x', 5, { nope: 1 }]);
  if (isEnumType(named)) return draft.rng.pick([5, 'nope', ['ASC']]);
  return draft.rng.pick([5, true, {}, ['x']]);
}

/** An argument written as a literal, or as a variable sent, omitted or null, with or without a default. */
function argument(draft: Draft, arg: GraphQLArgument, value: unknown): Argument {
  const { rng } = draft;
  if (!rng.chance(0.3)) return { text: `${arg.name}: ${literal(value, arg.type)}`, effective: value };
  const name = draft.name(arg.name);
  // A nullable variable may stand where a value is required if it has a default.
  const loosened = isNonNullType(arg.type) && rng.chance(0.2);
  const type = loosened && isNonNullType(arg.type) ? arg.type.ofType : arg.type;
  const fallback =
    loosened || rng.chance(0.3) ? inputValue(draft, arg.type, arg.name, { pageProduct: 1 }) : undefined;
  const definition = `$${name}: ${String(type)}${fallback === undefined ? '' : ` = ${literal(fallback, arg.type)}`}`;
  draft.variableDefinitions.push(definition);
  const nullable = !isNonNullType(type);
  // Omitted or null where a value is required, or of the wrong type: refused, so only now and then.
  const refusable = !nullable || fallback === undefined;
  const sending = rng.weighted([
    ['value', 72],
    ['omitted', refusable && !nullable ? (draft.clean ? 0 : 3) : 12],
    ['null', !nullable ? (draft.clean ? 0 : 3) : 12],
    ['wrong', draft.clean ? 0 : 2],
  ] as const);
  let effective: unknown;
  if (sending === 'value') {
    draft.variables[name] = value;
    effective = value;
  } else if (sending === 'null') {
    draft.variables[name] = null;
    effective = null;
  } else if (sending === 'wrong') {
    draft.variables[name] = wrongValue(draft, arg.type);
  } else {
    effective = fallback;
  }
  return { text: `${arg.name}: $${name}`, effective };
}

/** Presence of an optional argument, by name; others half the time. */
const argumentPresence: Record<string, number> = {
  first: 0.55,
  last: 0.2,
  after: 0.25,
  before: 0.12,
  orderBy: 0.55,
  filter: 0.5,
  search: 0.45,
  role: 0.35,
};

interface FieldArguments {
  text: string;
  /** For a connection: the list its cursors belong to. */
  list?: string;
  /** The page size the cost is multiplied by. */
  pageSize: number;
}

function fieldArguments(draft: Draft, field: GraphQLField<unknown, unknown>, at: At): FieldArguments {
  const { rng } = draft;
  const connection = getNamedType(field.type);
  let chosen = field.args.filter((arg) =>
    isNonNullType(arg.type) ? !draft.mischief(0.01) : rng.chance(argumentPresence[arg.name] ?? 0.5),
  );
  // `first` with `last` is refused.
  if (draft.clean && chosen.some((arg) => arg.name === 'first'))
    chosen = chosen.filter((arg) => arg.name !== 'last');
  // The ordering first: a cursor is chosen for the list it decides.
  const orderBy = chosen.find((arg) => arg.name === 'orderBy');
  const written = new Map<string, Argument>();
  if (orderBy)
    written.set(orderBy.name, argument(draft, orderBy, inputValue(draft, orderBy.type, 'orderBy', at)));
  const ordering = written.get('orderBy')?.effective ?? undefined;
  const list = isConnection(connection) ? listKey(connection.name, ordering ?? undefined) : undefined;
  for (const arg of chosen) {
    if (written.has(arg.name)) continue;
    written.set(
      arg.name,
      argument(
        draft,
        arg,
        inputValue(draft, arg.type, arg.name, { field, list, pageProduct: at.pageProduct }),
      ),
    );
  }
  const size = (name: string) => {
    const value = written.get(name)?.effective;
    return typeof value === 'number' && value > 0 ? value : 1;
  };
  // In the schema's order, except sometimes shuffled: argument order must not matter.
  const order = rng.chance(0.2) ? rng.shuffled(chosen) : chosen;
  const parts = order.map((arg) => written.get(arg.name)!.text);
  return {
    text: parts.length ? `(${parts.join(', ')})` : '',
    list,
    pageSize: Math.max(size('first'), size('last')),
  };
}

// ---- directives ----

function condition(draft: Draft): string {
  const { rng } = draft;
  const kind = rng.weighted([
    ['literal', 45],
    ['reuse', draft.booleans.length ? 15 : 0],
    ['variable', 38],
    ['null literal', draft.clean ? 0 : 1],
  ] as const);
  if (kind === 'literal') return rng.pick(['true', 'false']);
  if (kind === 'null literal') return 'null';
  if (kind === 'reuse') return `$${rng.pick(draft.booleans)}`;
  const name = draft.name('if');
  // Not a bare `Boolean`: without a default it may not stand where `if: Boolean!` is expected.
  const definition = `$${name}: ${rng.pick(['Boolean!', 'Boolean = false', 'Boolean = true', 'Boolean! = true'])}`;
  draft.variableDefinitions.push(definition);
  draft.booleans.push(name);
  const required = definition.includes('!') && !definition.includes('=');
  const sending = rng.weighted([
    [true, 35],
    [false, 35],
    [null, draft.clean ? 0 : 10],
    [undefined, required ? (draft.clean ? 0 : 3) : 12],
  ] as const);
  if (sending !== undefined) draft.variables[name] = sending;
  return `$${name}`;
}

function directives(draft: Draft): string {
  const { rng } = draft;
  if (draft.directives >= draft.limits.maxDirectives || !rng.chance(0.12)) return '';
  draft.directives++;
  return ` @${rng.pick(draft.conditionals).name}(if: ${condition(draft)})`;
}

// ---- selections ----

/** The fields of `parent` that fit in the depth left. */
function fittingFields(draft: Draft, parent: GraphQLObjectType | GraphQLInterfaceType, at: At) {
  const room = draft.limits.maxDepth - at.depth;
  return Object.values(parent.getFields()).filter((field) => {
    const type = getNamedType(field.type);
    if (isLeafType(type)) return true;
    // A connection needs a few levels below it to reach anything.
    return room >= (isConnection(type) ? 3 : 2);
  });
}

function fieldSelection(
  draft: Draft,
  parent: GraphQLObjectType | GraphQLInterfaceType,
  scope: Scope,
  at: At,
  chosen?: GraphQLField<unknown, unknown>,
): string | undefined {
  const { rng, limits } = draft;
  const fields = fittingFields(draft, parent, at);
  if (fields.length === 0) return undefined;
  // Fields with auth rules less often: refused at the root, they take the whole answer with them.
  const field = chosen ?? rng.weighted(fields.map((f) => [f, hasAuthRules(f) ? 0.4 : 1] as const));
  const named = getNamedType(field.type);
  const mark = draft.mark();
  const args = fieldArguments(draft, field, at);
  const signature = `${field.name}${args.text}:${String(field.type)}`;
  // An alias: a numbered one, or another field's name (legal, and a trap for a compiler keyed by name).
  let key = field.name;
  if (draft.aliases < limits.maxAliases && rng.chance(0.15)) {
    key = rng.chance(0.5) ? draft.name(field.name) : rng.pick(Object.keys(parent.getFields()));
  }
  if (scope.get(key) && scope.get(key)!.signature !== signature) key = draft.name(field.name);
  if (key !== field.name) {
    if (draft.aliases >= limits.maxAliases || scope.get(key)) {
      draft.rollback(mark);
      return undefined;
    }
    draft.aliases++;
  }
  draft.fields++;
  const head = `${key === field.name ? '' : `${key}: `}${field.name}${args.text}`;
  let entry = scope.get(key);
  if (!entry) scope.set(key, (entry = { signature, children: new Map(), parent: parent.name }));
  if (isLeafType(named)) {
    if (at.list && named.name === 'String')
      draft.cursorSites.push({ path: [...at.path, key], list: at.list });
    return `${head}${directives(draft)}`;
  }
  const path = [...at.path, key];
  if (isListType(isNonNullType(field.type) ? field.type.ofType : field.type)) path.push('*');
  // Cursors are those of the connection's edges and pageInfo, never of the nodes it holds.
  const list = args.list ?? (field.name === 'node' || !at.list ? undefined : at.list);
  const child: At = { depth: at.depth + 1, path, list, pageProduct: at.pageProduct * args.pageSize };
  const children = entry.children;
  const select = () =>
    `${head}${directives(draft)} ${selectionSet(draft, named as GraphQLObjectType | GraphQLInterfaceType, children, child)}`;
  entry.again ??= select;
  return select();
}

/** Types a fragment inside a selection on `parent` may be typed with: itself, its interfaces, or its implementations. */
function fragmentTypes(draft: Draft, parent: GraphQLObjectType | GraphQLInterfaceType): string[] {
  if (isInterfaceType(parent)) {
    return [parent.name, ...draft.schema.getPossibleTypes(parent).map((type) => type.name)];
  }
  return [parent.name, ...parent.getInterfaces().map((type) => type.name)];
}

function selection(
  draft: Draft,
  parent: GraphQLObjectType | GraphQLInterfaceType,
  scope: Scope,
  at: At,
): string | undefined {
  const { rng } = draft;
  const kind = rng.weighted([
    ['field', isInterfaceType(parent) ? 30 : 75],
    ['__typename', 8],
    ['inline', isInterfaceType(parent) ? 45 : 7],
    ['bare inline', 3],
    ['named', isInterfaceType(parent) ? 15 : 7],
  ] as const);
  if (kind === 'field') return fieldSelection(draft, parent, scope, at);
  if (kind === '__typename') {
    const alias =
      draft.aliases < draft.limits.maxAliases && rng.chance(0.15) ? draft.name('type') : undefined;
    if (alias) draft.aliases++;
    return `${alias ? `${alias}: ` : ''}__typename${directives(draft)}`;
  }
  const typeName = rng.pick(fragmentTypes(draft, parent));
  const type = draft.schema.getType(typeName) as GraphQLObjectType | GraphQLInterfaceType;
  if (kind === 'bare inline') return `...${directives(draft)} ${selectionSet(draft, parent, scope, at)}`;
  if (kind === 'inline')
    return `... on ${typeName}${directives(draft)} ${selectionSet(draft, type, scope, at)}`;
  const name = draft.name('F');
  // The definition is written first: the spread must not be left without it.
  draft.fragments.push(`fragment ${name} on ${typeName} ${selectionSet(draft, type, scope, at)}`);
  return `...${name}${directives(draft)}`;
}

function selectionSet(
  draft: Draft,
  type: GraphQLObjectType | GraphQLInterfaceType,
  scope: Scope,
  at: At,
): string {
  const { rng } = draft;
  const crowded = draft.fields >= draft.limits.maxFields;
  const count = crowded
    ? 1
    : rng.weighted([
        [1, 5],
        [2, 4],
        [3, 2],
        [4, 1],
        [6, 0.3],
      ] as const);
  const items: string[] = [];
  const add = (item: string | undefined) => item && items.push(item);
  for (let i = 0; i < count; i++) {
    add(selection(draft, type, scope, at));
    if (crowded) continue;
    // The same key again with another selection below it: execution merges the two.
    const again = [...scope.values()].filter((entry) => entry.again && entry.parent === type.name);
    if (again.length && rng.chance(0.06)) add(rng.pick(again).again!());
    // The same field twice, most often with other arguments under another alias.
    const withArguments = fittingFields(draft, type, at).filter((field) => field.args.length > 0);
    if (withArguments.length && rng.chance(0.05)) {
      const field = rng.pick(withArguments);
      add(fieldSelection(draft, type, scope, at, field));
      add(fieldSelection(draft, type, scope, at, field));
    }
  }
  if (items.length === 0) items.push('__typename');
  return `{ ${items.join(' ')} }`;
}

function tokenCount(text: string): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

function draftQuery(
  rng: Random,
  schema: GraphQLSchema,
  pools: ValuePools,
  limits: GeneratorLimits,
): { draft: Draft; query: string } {
  const query = schema.getQueryType();
  if (!query) throw new Error('the schema has no Query type');
  const nodeTypes = Object.values(schema.getTypeMap())
    .filter((type): type is GraphQLObjectType => isObjectType(type) && type.getInterfaces().length > 0)
    .map((type) => type.name);
  const conditionals = schema
    .getDirectives()
    .filter(
      (directive) =>
        directive.locations.includes(DirectiveLocation.FIELD) &&
        directive.args.some((arg) => arg.name === 'if'),
    );
  const draft = new Draft(rng, schema, pools, limits, nodeTypes, conditionals, rng.chance(0.5));
  const body = selectionSet(draft, query, new Map(), { depth: 1, path: [], pageProduct: 1 });
  const name = rng.chance(0.3) ? ` ${draft.name('Q')}` : '';
  const variables = draft.variableDefinitions.length ? `(${draft.variableDefinitions.join(', ')})` : '';
  const head = name || variables ? `query${name}${variables} ` : '';
  return { draft, query: [`${head}${body}`, ...draft.fragments].join('\n') };
}

/**
 * One random query over `schema`, seeded by `rng`: root fields at random (each as likely),
 * arguments from the value pools, nested selections down to the limits.
 */
export function generateQuery(
  rng: Random,
  schema: GraphQLSchema,
  pools: ValuePools,
  limits: GeneratorLimits = defaultGeneratorLimits,
): GeneratedQuery {
  for (let attempt = 0; ; attempt++) {
    const { draft, query } = draftQuery(rng, schema, pools, limits);
    if (tokenCount(query) <= limits.maxTokens || attempt >= 20) {
      return { query, variables: draft.variables, cursorSites: draft.cursorSites };
    }
  }
}

/** Every cursor an answer holds at the generated query's cursor sites, by list. */
export function cursorsIn(data: unknown, sites: readonly CursorSite[]): { list: string; cursor: string }[] {
  const found: { list: string; cursor: string }[] = [];
  const walk = (value: unknown, path: AnswerPath, list: string) => {
    if (value === null || value === undefined) return;
    if (path.length === 0) {
      if (typeof value === 'string') found.push({ list, cursor: value });
      return;
    }
    const [head, ...rest] = path;
    if (head === '*') {
      if (Array.isArray(value)) for (const item of value) walk(item, rest, list);
    } else if (typeof value === 'object' && !Array.isArray(value)) {
      walk((value as Record<string, unknown>)[head!], rest, list);
    }
  };
  for (const site of sites) walk(data, site.path, site.list);
  return found;
}
