/**
 * The random-query generator of the differential test (test/helpers/query-generator.ts)
 * reaches what the differential test promises: every root field, argument, input field and
 * enum value the schema offers to reads, the page sizes, search texts, ids and cursors that
 * matter, directives with literals, variables and null, fragments and aliases. Its queries
 * are valid far more often than not, and the same seed gives the same queries.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  TypeInfo,
  typeFromAST,
  validate,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type ValueNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { globalId } from '../helpers/domain.js';
import { CursorPool, generateQuery, listKey, type ValuePools } from '../helpers/query-generator.js';
import { Random } from '../helpers/random.js';

const cursor = (text: string) => Buffer.from(text).toString('base64');

function pools(): ValuePools {
  const cursors = new CursorPool();
  cursors.add(listKey('AcquisitionConnection', undefined), cursor('DC:T:["S:2020-01-01","N:5"]'));
  cursors.add(
    listKey('AcquisitionConnection', { field: 'PRICE', direction: 'ASC' }),
    cursor('DC:T:["M:10","N:5"]'),
  );
  cursors.add(listKey('CompanyConnection', undefined), cursor('DC:T:["S:acme","N:3"]'));
  cursors.add(listKey('UserConnection', undefined), cursor('DC:N:2'));
  const ids = (type: string) => [globalId(type, 1), globalId(type, 2)];
  return {
    ids: new Map(['Company', 'Acquisition', 'User', 'ApiKey'].map((type) => [type, ids(type)])),
    cursors,
  };
}

/** The object types a query can reach from Query (through interfaces to their implementations). */
function readTypes(): GraphQLObjectType[] {
  const found = new Map<string, GraphQLObjectType>();
  const visitType = (type: GraphQLNamedType) => {
    if (found.has(type.name)) return;
    if (isInterfaceType(type)) for (const possible of schema.getPossibleTypes(type)) visitType(possible);
    if (!isObjectType(type)) return;
    found.set(type.name, type);
    for (const field of Object.values(type.getFields())) visitType(getNamedType(field.type));
  };
  visitType(schema.getQueryType()!);
  return [...found.values()];
}

/** Every input type reachable from the arguments of read fields, with its fields. */
function inputTypesOfReads(): Set<string> {
  const found = new Set<string>();
  const visitInput = (type: GraphQLInputType) => {
    const named = getNamedType(type);
    if (found.has(named.name)) return;
    found.add(named.name);
    if (isInputObjectType(named))
      for (const field of Object.values(named.getFields())) visitInput(field.type);
  };
  for (const type of readTypes()) {
    for (const field of Object.values(type.getFields())) for (const arg of field.args) visitInput(arg.type);
  }
  return found;
}

/** What a batch of generated queries did, as short facts ("arg Query.companies(search)"). */
function factsOf(count: number, seed: number): { facts: Set<string>; invalid: number } {
  const rng = new Random(seed);
  const pool = pools();
  const facts = new Set<string>();
  const inPool = new Map<string, string>();
  for (const list of pool.cursors.lists())
    for (const c of pool.cursors.of(list)) inPool.set(c, list.split('|')[0]!);
  const knownIds = new Set([...pool.ids.values()].flat());
  let invalid = 0;
  for (let n = 0; n < count; n++) {
    const { query, variables } = generateQuery(rng, schema, pool);
    const document = parse(query);
    if (validate(schema, document).length > 0) invalid++;
    const defaults = new Map<string, ValueNode | undefined>();
    const typeInfo = new TypeInfo(schema);
    /** The value a field receives for an argument; 'omitted' when a variable without default is not sent. */
    const valueOf = (node: ValueNode): unknown => {
      if (node.kind !== Kind.VARIABLE) return valueFromASTUntyped(node);
      const name = node.name.value;
      if (Object.hasOwn(variables, name)) {
        facts.add(variables[name] === null ? 'variable sent null' : 'variable sent');
        return variables[name];
      }
      const fallback = defaults.get(name);
      facts.add(fallback ? 'variable omitted, default' : 'variable omitted');
      return fallback ? valueFromASTUntyped(fallback) : 'omitted';
    };
    const fieldNames: string[] = [];
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        VariableDefinition(node) {
          defaults.set(node.variable.name.value, node.defaultValue);
        },
        FragmentDefinition() {
          facts.add('named fragment');
        },
        InlineFragment(node) {
          const parent = typeInfo.getParentType();
          if (node.typeCondition)
            facts.add(`inline ... on ${node.typeCondition.name.value} in ${parent?.name}`);
        },
        Field: {
          enter(node) {
            const parent = typeInfo.getParentType();
            facts.add(`field ${parent?.name}.${node.name.value}`);
            if (node.alias) facts.add('alias');
            if (node.name.value === '__typename' && fieldNames.length > 0) facts.add('nested __typename');
            fieldNames.push(node.name.value);
            const args = (node.arguments ?? []).map((arg) => arg.name.value);
            if (args.includes('first') && args.includes('last')) facts.add('first with last');
          },
          leave() {
            fieldNames.pop();
          },
        },
        SelectionSet(node) {
          const seen = new Map<string, string>();
          for (const selection of node.selections) {
            if (selection.kind !== Kind.FIELD || !selection.arguments?.length) continue;
            const args = JSON.stringify(selection.arguments.map((arg) => arg.value));
            const before = seen.get(selection.name.value);
            if (before !== undefined && before !== args) facts.add('same field, other arguments');
            seen.set(selection.name.value, args);
          }
        },
        Directive(node) {
          const value = node.arguments?.[0]?.value;
          if (!value) return;
          const kind = value.kind === Kind.VARIABLE ? 'variable' : 'literal';
          facts.add(`@${node.name.value} ${kind}`);
          if (valueOf(value) === null) facts.add(`@${node.name.value} null`);
        },
        Argument(node) {
          const field = typeInfo.getFieldDef();
          const parent = typeInfo.getParentType();
          // A directive's `if` is counted above.
          if (!field || !parent || typeInfo.getDirective()) return;
          facts.add(`arg ${parent.name}.${field.name}(${node.name.value})`);
          const value = valueOf(node.value);
          const name = node.name.value;
          if (name === 'first' || name === 'last') facts.add(`${name} ${JSON.stringify(value)}`);
          if (name === 'search' && typeof value === 'string') {
            if (value.length > 200) facts.add('search too long');
            if (value === '') facts.add('search empty');
            if (value !== value.trim() && value.trim()) facts.add('search padded');
            for (const c of ['%', '_', '\\', '"', "'", 'ü', '🚀'])
              if (value.includes(c)) facts.add(`search ${c}`);
          }
          if ((name === 'after' || name === 'before') && typeof value === 'string') {
            const list = inPool.get(value);
            const own = getNamedType(field.type).name;
            facts.add(
              `cursor ${list === undefined ? 'not from a list' : list === own ? 'of its type' : 'foreign'}`,
            );
          }
          if (name === 'id' && typeof value === 'string')
            facts.add(`id ${knownIds.has(value) ? 'known' : 'unknown'}`);
        },
        ObjectField(node) {
          const input = typeInfo.getParentInputType();
          const named = input && getNamedType(input);
          if (named && isInputObjectType(named)) facts.add(`input ${named.name}.${node.name.value}`);
        },
        EnumValue(node) {
          const type = typeInfo.getInputType();
          const named = type && getNamedType(type);
          if (named && isEnumType(named)) facts.add(`enum ${named.name}.${node.value}`);
        },
      }),
    );
    // Input values sent as variables: their fields and enum values count too.
    const walkValue = (value: unknown, type: GraphQLInputType) => {
      const named = getNamedType(type);
      if (Array.isArray(value)) for (const item of value) walkValue(item, type);
      else if (isInputObjectType(named) && value && typeof value === 'object') {
        for (const [key, item] of Object.entries(value)) {
          facts.add(`input ${named.name}.${key}`);
          const field = named.getFields()[key];
          if (field) walkValue(item, field.type);
        }
      } else if (isEnumType(named) && typeof value === 'string') facts.add(`enum ${named.name}.${value}`);
    };
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      for (const variable of definition.variableDefinitions ?? []) {
        const type = typeFromAST(schema, variable.type) as GraphQLInputType | undefined;
        const value = variables[variable.variable.name.value];
        if (type && value !== undefined) walkValue(value, type);
      }
    }
  }
  return { facts, invalid };
}

describe('the differential test’s query generator', () => {
  const count = 3000;
  const { facts, invalid } = factsOf(count, 1);

  it('reaches every read field and argument the schema has', () => {
    const missing: string[] = [];
    for (const type of readTypes()) {
      for (const field of Object.values(type.getFields())) {
        if (!facts.has(`field ${type.name}.${field.name}`)) missing.push(`field ${type.name}.${field.name}`);
        for (const arg of field.args) {
          if (!facts.has(`arg ${type.name}.${field.name}(${arg.name})`)) {
            missing.push(`arg ${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('uses every input field and enum value of read arguments', () => {
    const missing: string[] = [];
    for (const name of inputTypesOfReads()) {
      const type = schema.getType(name);
      if (isInputObjectType(type)) {
        for (const field of Object.keys(type.getFields())) {
          if (!facts.has(`input ${name}.${field}`)) missing.push(`input ${name}.${field}`);
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) {
          if (!facts.has(`enum ${name}.${value.name}`)) missing.push(`enum ${name}.${value.name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('pages with 0, 1, 20, 100 and 101, null, and first with last', () => {
    for (const size of ['0', '1', '20', '100', '101', 'null']) {
      expect(facts).toContain(`first ${size}`);
      expect(facts).toContain(`last ${size}`);
    }
    expect(facts).toContain('first with last');
  });

  it('searches with wildcards, quotes, unicode, padding, nothing and too much', () => {
    for (const fact of ['%', '_', '\\', '"', "'", 'ü', '🚀', 'too long', 'empty', 'padded']) {
      expect(facts).toContain(`search ${fact}`);
    }
  });

  it('pages from cursors of the same list, of another list and of none', () => {
    expect(facts).toContain('cursor of its type');
    expect(facts).toContain('cursor foreign');
    expect(facts).toContain('cursor not from a list');
    expect(facts).toContain('id known');
    expect(facts).toContain('id unknown');
  });

  it('writes directives, variables, fragments and aliases every way', () => {
    for (const fact of [
      '@include literal',
      '@include variable',
      '@include null',
      '@skip literal',
      '@skip variable',
      '@skip null',
      'variable sent',
      'variable sent null',
      'variable omitted',
      'variable omitted, default',
      'named fragment',
      'inline ... on Node in Node',
      'inline ... on Company in Node',
      'inline ... on Node in Company',
      'alias',
      'same field, other arguments',
      'nested __typename',
    ]) {
      expect(facts).toContain(fact);
    }
  });

  it('writes valid documents far more often than not', () => {
    expect(invalid / count).toBeLessThan(0.1);
  });

  it('gives the same queries for the same seed', () => {
    const twice = [1, 2].map(() => {
      const rng = new Random(42);
      const pool = pools();
      return Array.from({ length: 50 }, () => generateQuery(rng, schema, pool));
    });
    expect(twice[0]).toEqual(twice[1]);
  });
});
