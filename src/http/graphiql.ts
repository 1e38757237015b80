import type { GraphiQLOptions } from 'graphql-yoga';
import { loadGraphiQLAssets } from './graphiql-assets.js';
import { defaultDocument, defaultHeaders } from './graphiql-document.js';

/** What GraphiQL is rendered with (Yoga's `graphiql` option). */
export const graphiqlOptions = {
  title: 'Acquisitions API',
  defaultQuery: defaultDocument,
  headers: defaultHeaders,
  // The headers editor open on the first visit, showing how to send a token.
  defaultEditorToolsVisibility: 'headers',
  // GraphiQL runs a subscription as a GET asking for text/event-stream, which the CSRF
  // prevention refuses without one of its headers (src/http/plugins/csrf.ts). GraphiQL is
  // same-origin, so it may send one; a page on another site still cannot without a preflight.
  additionalHeaders: { 'x-graphql-csrf': 'graphiql' },
} satisfies GraphiQLOptions;

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);

/**
 * JSON inside <script type="application/json">: a browser ends the element at the first
 * `</script`, so every `<` is written as \u003c (the same string to JSON.parse).
 */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * Yoga's `renderGraphiQL`: a page with no inline script and no other origin. Its code, styles,
 * icon and editor workers are same-origin files (src/http/graphiql-assets.ts); the options Yoga
 * passes (ours plus the endpoint) travel as a JSON data block, which the boot script reads and
 * which a Content-Security-Policy does not treat as a script.
 */
export async function renderGraphiQLPage(options: GraphiQLOptions): Promise<string> {
  const { urls } = await loadGraphiQLAssets();
  const title = escapeHtml(options.title ?? graphiqlOptions.title);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <link rel="icon" href="${urls.favicon}" />
    <link rel="stylesheet" href="${urls.stylesheet}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root">Loading ${title}…</div>
    <script type="application/json" id="graphiql-options">${scriptJson(options)}</script>
    <script src="${urls.boot}"></script>
    <script src="${urls.script}"></script>
  </body>
</html>
`;
}
