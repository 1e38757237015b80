import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../graphql/context.js';

const cookiesByRequest = new WeakMap<Request, string[]>();

/**
 * Copies the Set-Cookie values put on the context (by resolvers, or by the viewer renewing a
 * session) onto the HTTP response. Registered as the context is built, ahead of the viewer:
 * a renewed cookie reaches the browser even when a later guard refuses the request.
 */
export function useResponseCookies(): Plugin<Context> {
  return {
    onContextBuilding({ context }) {
      cookiesByRequest.set(context.request, context.responseCookies);
    },
    onResponse({ request, response }) {
      for (const cookie of cookiesByRequest.get(request) ?? []) response.headers.append('set-cookie', cookie);
    },
  };
}
