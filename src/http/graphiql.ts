import { createHash } from 'node:crypto';
import { renderGraphiQL } from 'graphql-yoga';

/** What GraphiQL is rendered with (Yoga's `graphiql` option). */
export const graphiqlOptions = { title: 'Acquisitions API' };

/**
 * Yoga's GraphiQL page loads its code and styles from unpkg.com (pinned to Yoga's
 * GraphiQL version), its favicon from raw.githubusercontent.com, fetches its editor
 * workers from unpkg.com and starts them from blob: URLs.
 */
export const graphiqlAssetHosts = {
  code: 'https://unpkg.com',
  favicon: 'https://raw.githubusercontent.com',
};

/**
 * CSP sources ('sha256-…') for the page's inline scripts, which Yoga renders from a
 * fixed template and `graphiqlOptions`: the page runs them without 'unsafe-inline'.
 */
export function graphiqlInlineScriptHashes(): string[] {
  const html = renderGraphiQL(graphiqlOptions);
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    ([, code = '']) => `'sha256-${createHash('sha256').update(code).digest('base64')}'`,
  );
}
