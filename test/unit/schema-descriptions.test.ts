import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedDirective,
  isSpecifiedScalarType,
  type GraphQLArgument,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';

const blank = (description: string | null | undefined) => !description?.trim();

/**
 * Every schema coordinate without a description, graphql's built-ins excepted:
 * types, fields, arguments, input fields, enum values and custom directives.
 */
function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const args = (owner: string, list: readonly GraphQLArgument[]) => {
    for (const arg of list) if (blank(arg.description)) missing.push(`${owner}(${arg.name}:)`);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (blank(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
        args(`${type.name}.${field.name}`, field.args);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (blank(value.description)) missing.push(`${type.name}.${value.name}`);
      }
    }
  }
  for (const directive of schema.getDirectives()) {
    if (isSpecifiedDirective(directive)) continue;
    if (blank(directive.description)) missing.push(`@${directive.name}`);
    args(`@${directive.name}`, directive.args);
  }
  return missing.sort();
}

describe('schema documentation', () => {
  it('reports each kind of undocumented coordinate, and not the built-ins', () => {
    const sample = buildSchema(`
      directive @audit(level: Int) on FIELD_DEFINITION
      "Reads." type Query { "A thing." thing(id: ID!, "How many." first: Int): Thing @deprecated }
      type Thing { name: String }
      input Filter { "Name." name: String, status: Status }
      "Status." enum Status { "Open." OPEN CLOSED }
      scalar Cursor
    `);
    expect(undocumented(sample)).toEqual([
      '@audit',
      '@audit(level:)',
      'Cursor',
      'Filter',
      'Filter.status',
      'Query.thing(id:)',
      'Status.CLOSED',
      'Thing',
      'Thing.name',
    ]);
  });

  it('describes every type, field, argument, input field and enum value', () => {
    expect(undocumented(schema), 'schema coordinates without a description').toEqual([]);
  });
});
