import { readFileSync } from 'node:fs';
import { Kind, parse, print, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { defaultDocument, defaultHeaders } from '../../src/http/graphiql-document.js';

/** Each named operation of a document, printed (comments and layout aside), by name. */
function operationsOf(source: string): Map<string, string> {
  const operations = parse(source).definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  return new Map(operations.map((operation) => [operation.name?.value ?? '(anonymous)', print(operation)]));
}

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
/** The README's examples in its Accounts and Domain sections. */
const readmeOperations = new Map(
  ['## Accounts', '## Domain'].flatMap((heading) => {
    const section = readme.slice(
      readme.indexOf(heading),
      readme.indexOf('\n## ', readme.indexOf(heading) + 1),
    );
    const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map(([, block = '']) => block);
    return blocks.flatMap((block) => [...operationsOf(block)]);
  }),
);

describe("GraphiQL's default document", () => {
  it('is valid against the schema', () => {
    expect(validate(schema, parse(defaultDocument)).map((error) => error.message)).toEqual([]);
  });

  it('is the README’s example operations, each named, field for field', () => {
    expect([...readmeOperations.keys()]).toEqual(
      expect.arrayContaining(['Deals', 'BigDeals', 'Companies', 'Company', 'SignUp', 'Me', 'SignIn']),
    );
    expect(Object.fromEntries(operationsOf(defaultDocument))).toEqual(Object.fromEntries(readmeOperations));
  });
});

describe("GraphiQL's default headers", () => {
  /** GraphiQL reads the headers editor as JSON with comments. */
  const withoutComments = (text: string) => JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as unknown;

  it('send nothing as they are: the cookie signs the browser in, and a placeholder token would be refused', () => {
    expect(withoutComments(defaultHeaders)).toEqual({});
  });

  it('hold an Authorization header that is valid once uncommented', () => {
    const uncommented = defaultHeaders.replace(/^(\s*)\/\/ ("Authorization")/m, '$1$2');
    expect(withoutComments(uncommented)).toEqual({ Authorization: 'Bearer <token or API key>' });
  });
});
