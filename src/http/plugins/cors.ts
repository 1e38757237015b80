import type { CORSOptions, Plugin } from 'graphql-yoga';

/**
 * Yoga's `cors` option for an allow-list of origins, with credentials (cookies). An
 * origin not on the list gets no CORS headers at all, so the browser keeps the response
 * from it; Yoga's own list handling would answer `Access-Control-Allow-Origin: null`,
 * which a sandboxed iframe (origin "null") would satisfy.
 */
export function corsPolicy(origins: readonly string[]): ((request: Request) => CORSOptions) | false {
  if (origins.length === 0) return false;
  const allowed = new Set(origins);
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin || !allowed.has(origin)) return false;
    return {
      origin,
      credentials: true,
      methods: ['GET', 'POST'],
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    };
  };
}

/** Answers differ by Origin when an allow-list is in force: caches must key on it. */
export function useVaryOrigin(): Plugin {
  return {
    onResponse({ response }) {
      const vary = response.headers.get('vary');
      if (
        !vary
          ?.toLowerCase()
          .split(/\s*,\s*/)
          .includes('origin')
      ) {
        response.headers.set('vary', vary ? `${vary}, Origin` : 'Origin');
      }
    },
  };
}
