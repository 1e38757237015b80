import { createHash } from 'node:crypto';

/** Where GraphiQL's files are served from, beside /graphql and never inside Yoga's endpoint. */
export const GRAPHIQL_ASSETS_PREFIX = '/graphiql/';

/** One file of GraphiQL, served as is; its URL names its content, so it never changes. */
export interface StaticAsset {
  path: string;
  contentType: string;
  body: Buffer;
  /** A strong ETag: the content's SHA-256. */
  etag: string;
}

/** GraphiQL's files by URL path, and the URLs the page refers to. */
export interface GraphiQLAssets {
  byPath: ReadonlyMap<string, StaticAsset>;
  urls: { stylesheet: string; favicon: string; boot: string; script: string };
}

const JS = 'text/javascript; charset=utf-8';

function asset(name: string, extension: string, contentType: string, body: Buffer): StaticAsset {
  const digest = createHash('sha256').update(body).digest('base64url');
  return {
    path: `${GRAPHIQL_ASSETS_PREFIX}${name}.${digest.slice(0, 16)}.${extension}`,
    contentType,
    body,
    etag: `"${digest}"`,
  };
}

const text = (content: string) => Buffer.from(content, 'utf8');

/**
 * The page's first script: where Monaco finds its editor workers (same-origin files, started
 * as module workers, so the page needs neither blob: nor a CDN), and the call that renders
 * GraphiQL once the bundle after it has loaded, with the options the page carries as JSON.
 */
function bootScript(workerUrls: Record<string, string>): string {
  return `'use strict';
const workerUrls = ${JSON.stringify(workerUrls)};
self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: (_moduleId, label) => workerUrls[label] ?? workerUrls.editorWorkerService,
};
document.addEventListener('DOMContentLoaded', () => {
  const options = JSON.parse(document.getElementById('graphiql-options').textContent);
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
});
`;
}

/** The favicon's bytes; the package carries it as a data: URL. */
function iconBytes(dataUrl: string): Buffer {
  const [, base64] = /^data:image\/x-icon;base64,(.+)$/.exec(dataUrl) ?? [];
  if (!base64) throw new Error('@graphql-yoga/render-graphiql: the favicon is not a base64 data: URL');
  return Buffer.from(base64, 'base64');
}

async function build(): Promise<GraphiQLAssets> {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const workers = {
    editorWorkerService: asset('editor.worker', 'js', JS, text(bundle.editorWorkerService)),
    json: asset('json.worker', 'js', JS, text(bundle.jsonWorker)),
    graphql: asset('graphql.worker', 'js', JS, text(bundle.graphqlWorker)),
  };
  const page = {
    stylesheet: asset('graphiql', 'css', 'text/css; charset=utf-8', text(bundle.css)),
    favicon: asset('favicon', 'ico', 'image/x-icon', iconBytes(bundle.favicon)),
    boot: asset(
      'boot',
      'js',
      JS,
      text(bootScript(Object.fromEntries(Object.entries(workers).map(([label, w]) => [label, w.path])))),
    ),
    script: asset('yoga-graphiql', 'js', JS, text(bundle.js)),
  };
  const all = [...Object.values(page), ...Object.values(workers)];
  return {
    byPath: new Map(all.map((file) => [file.path, file])),
    urls: {
      stylesheet: page.stylesheet.path,
      favicon: page.favicon.path,
      boot: page.boot.path,
      script: page.script.path,
    },
  };
}

let loading: Promise<GraphiQLAssets> | undefined;

/**
 * GraphiQL's code, styles, icon and editor workers from @graphql-yoga/render-graphiql (the
 * version of graphql-yoga), which carries them as strings to inline into one page. Served as
 * separate same-origin files instead, the page's policy allows scripts from 'self' alone, and
 * browsers cache the 9 MB once. Loaded on the first request that needs them, once per process:
 * reading and hashing them takes half a second, which no process should pay unless a browser asks.
 */
export function loadGraphiQLAssets(): Promise<GraphiQLAssets> {
  return (loading ??= build());
}
