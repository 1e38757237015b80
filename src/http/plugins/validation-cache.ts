import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Yoga's validation cache, keyed by the document alone. Yoga's own keys it by the names
 * of every rule too, joining some thirty of them on every request; here the rules and
 * the schema are fixed for the life of the Yoga instance this plugin belongs to, so the
 * DocumentNode (one per distinct query, from Yoga's parser cache) says it all.
 */
export function useValidationCache(): Plugin {
  const results = new WeakMap<DocumentNode, readonly unknown[]>();
  return {
    onValidate({ params: { documentAST }, setResult }) {
      const cached = results.get(documentAST);
      if (cached) return setResult(cached);
      return ({ result }) => {
        results.set(documentAST, result);
      };
    },
  };
}
