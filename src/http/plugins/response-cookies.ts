import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../graphql/context.js';

const cookiesByRequest = new WeakMap<Request, string[]>();

/** Copies the Set-Cookie values resolvers put on the context onto the HTTP response. */
export function useResponseCookies(): Plugin<Context> {
  return {
    onExecute({ args }) {
      cookiesByRequest.set(args.contextValue.request, args.contextValue.responseCookies);
    },
    onResponse({ request, response }) {
      for (const cookie of cookiesByRequest.get(request) ?? []) response.headers.append('set-cookie', cookie);
    },
  };
}
