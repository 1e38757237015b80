import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import { AppError } from '../../graphql/errors.js';

/**
 * Headers a browser cannot add to a cross-site request without a CORS preflight. Ours
 * first; Apollo's and Yoga's so their clients work unchanged.
 */
export const csrfHeaders = [
  'x-graphql-csrf',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-graphql-yoga-csrf',
];

/**
 * Yoga's CSRF prevention: a request a browser sends cross-site without a preflight
 * (GET, or a form's urlencoded / multipart / text/plain POST) must carry one of
 * `csrfHeaders`, so a cookie cannot be ridden from another site. JSON POSTs are always
 * preflighted and pass. The refusal is FORBIDDEN with HTTP 403.
 */
export function useCsrfPrevention(): Plugin {
  const prevention = useCSRFPrevention({ requestHeaders: csrfHeaders });
  return {
    onRequestParse(payload) {
      try {
        return prevention.onRequestParse?.(payload);
      } catch {
        throw new AppError(
          'FORBIDDEN',
          `Send one of these headers with this request: ${csrfHeaders.join(', ')}`,
          {
            http: { status: 403 },
          },
        );
      }
    },
  };
}
