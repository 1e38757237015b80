import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { codeOf } from '../../graphql/errors.js';

/**
 * HTTP 429 with Retry-After (seconds) when every error of a response is RATE_LIMITED;
 * a response that also carries other errors keeps its status, as clients must read
 * those too.
 */
export function useRateLimitedStatus(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || Symbol.asyncIterator in Object(result)) return;
      const single = result as ExecutionResult;
      const errors = single.errors ?? [];
      if (errors.length === 0 || !errors.every((error) => codeOf(error) === 'RATE_LIMITED')) return;
      const retryAfter = Math.max(...errors.map((error) => Number(error.extensions?.retryAfter) || 1));
      setResult({
        ...single,
        extensions: {
          ...single.extensions,
          http: { status: 429, headers: { 'Retry-After': String(retryAfter) } },
        },
      });
    },
  };
}
