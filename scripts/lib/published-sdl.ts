import { execFileSync } from 'node:child_process';

export const PUBLISHED_SDL_PATH = 'schema/schema.graphql';

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

/**
 * The SDL published at a git ref (`schema/schema.graphql` in that commit), or null when
 * there is nothing to compare with: the ref does not exist (a repository's first commit has no
 * HEAD~1) or predates the published schema. A shallow clone that lacks the ref is an error,
 * not "nothing published": passing there would silently switch the guard off.
 */
export function readPublishedSdl(ref: string, cwd = process.cwd()): string | null {
  const commit = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd)?.trim();
  if (!commit) {
    if (git(['rev-parse', '--is-shallow-repository'], cwd)?.trim() === 'true') {
      throw new Error(
        `${ref} is not in this shallow clone; fetch more history (git fetch --deepen=1) or pass --base <file>`,
      );
    }
    return null;
  }
  return git(['show', `${commit}:${PUBLISHED_SDL_PATH}`], cwd);
}
