import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { codeOf, serviceUnavailableRetryAfter } from '../../graphql/errors.js';

/** No root field produced a value: nothing in the response is worth reading. */
const producedNothing = (data: ExecutionResult['data']) =>
  data == null || Object.values(data).every((value) => value === null);

/**
 * HTTP 503 with Retry-After when every error of a response is SERVICE_UNAVAILABLE and
 * no data could be produced, so proxies, load balancers and HTTP clients see the outage
 * too; a response that carries data or other errors keeps its status (the client must
 * read them), as with RATE_LIMITED's 429. Runs after the error masking, which sets the code.
 */
export function useUnavailableStatus(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || Symbol.asyncIterator in Object(result)) return;
      const single = result as ExecutionResult;
      const errors = single.errors ?? [];
      if (errors.length === 0 || !errors.every((error) => codeOf(error) === 'SERVICE_UNAVAILABLE')) return;
      if (!producedNothing(single.data)) return;
      setResult({
        ...single,
        extensions: {
          ...single.extensions,
          http: { status: 503, headers: { 'Retry-After': String(serviceUnavailableRetryAfter) } },
        },
      });
    },
  };
}
