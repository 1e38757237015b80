import { GraphQLError, type ValidationRule } from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { onCacheMiss, useValidationCache } from '../../src/http/plugins/validation-cache.js';

const schema = createSchema({ typeDefs: 'type Query { hello: String, secret: String }', resolvers: {} });

/** A rule refusing `secret`, and how often its plugin was asked for it. */
function secretRule() {
  const calls = { onValidate: 0 };
  const rule: ValidationRule = (context) => ({
    Field(node) {
      if (node.name.value === 'secret') context.reportError(new GraphQLError('no secret'));
    },
  });
  const plugin: Plugin = {
    onValidate({ addValidationRule }) {
      calls.onValidate += 1;
      addValidationRule(rule);
    },
  };
  return { calls, plugin };
}

async function post(yoga: ReturnType<typeof createYoga>, query: string) {
  const response = await yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return response.json() as Promise<{ data?: unknown; errors?: { message: string }[] }>;
}

describe('useValidationCache with onCacheMiss', () => {
  it('runs a deferred rule for each new document, and no hook at all for a cached one', async () => {
    const { calls, plugin } = secretRule();
    const yoga = createYoga({
      schema,
      parserAndValidationCache: { validationCache: false },
      plugins: [onCacheMiss(plugin), useValidationCache()],
    });

    expect(await post(yoga, '{ secret }')).toMatchObject({ errors: [{ message: 'no secret' }] });
    expect(await post(yoga, '{ secret }')).toMatchObject({ errors: [{ message: 'no secret' }] });
    expect(calls.onValidate).toBe(1);

    expect(await post(yoga, '{ hello }')).toEqual({ data: { hello: null } });
    expect(await post(yoga, '{ hello }')).toEqual({ data: { hello: null } });
    expect(calls.onValidate).toBe(2);
  });

  it('defers the rules of the plugins a deferred plugin adds, in plugin order', async () => {
    const order: string[] = [];
    const adding = (name: string): Plugin => ({
      onValidate: () => void order.push(name),
    });
    const parent: Plugin = {
      onPluginInit: ({ addPlugin }) => addPlugin(adding('added')),
      onValidate: () => void order.push('parent'),
    };
    const yoga = createYoga({
      schema,
      parserAndValidationCache: { validationCache: false },
      plugins: [onCacheMiss(parent), onCacheMiss(adding('next')), useValidationCache()],
    });

    await post(yoga, '{ hello }');
    await post(yoga, '{ hello }');
    expect(order).toEqual(['parent', 'added', 'next']);
  });

  it('refuses to start without the cache that would run the deferred rules', () => {
    const { plugin } = secretRule();
    expect(() => createYoga({ schema, plugins: [onCacheMiss(plugin)] })).toThrow(/no useValidationCache/);
  });
});
