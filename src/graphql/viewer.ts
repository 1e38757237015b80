import type { Context, Viewer } from './context.js';
import { unauthenticated } from './errors.js';

/** The viewer of a field whose auth scopes already require one (keeps resolvers free of `!`). */
export function signedInViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}
