import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { codeOf } from '../../graphql/errors.js';

/** The codes that tell a client to come back later, with the HTTP status that says so. */
const retryStatuses: Readonly<Record<string, number>> = { RATE_LIMITED: 429, SERVICE_UNAVAILABLE: 503 };

/** No root field produced a value: nothing in the response is worth reading. */
const producedNothing = (data: ExecutionResult['data']) =>
  data == null || Object.values(data).every((value) => value === null);

/**
 * HTTP 429 (RATE_LIMITED) or 503 (SERVICE_UNAVAILABLE) with Retry-After, the longest
 * `retryAfter` of the errors, when every error of a response is that one code and no data
 * could be produced: proxies, load balancers and HTTP clients then see the refusal or the
 * outage too. A response that carries data or other errors keeps its status, as clients
 * must read them. Runs after the error masking, which sets the codes.
 */
export function useRetryStatus(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || Symbol.asyncIterator in Object(result)) return;
      const single = result as ExecutionResult;
      const [first, ...rest] = single.errors ?? [];
      const code = first && codeOf(first);
      const status = code === undefined ? undefined : retryStatuses[code];
      if (!status || rest.some((error) => codeOf(error) !== code) || !producedNothing(single.data)) return;
      const retryAfter = Math.max(
        ...[first!, ...rest].map((error) => Number(error.extensions?.retryAfter) || 1),
      );
      setResult({
        ...single,
        extensions: {
          ...single.extensions,
          http: { status, headers: { 'Retry-After': String(retryAfter) } },
        },
      });
    },
  };
}
