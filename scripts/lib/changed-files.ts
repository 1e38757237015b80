import { execFileSync } from 'node:child_process';

/**
 * Files under `path` that differ from the last commit, untracked ones included: what
 * `git diff --exit-code` reports, plus new files it would miss.
 */
export function changedFiles(path: string, cwd = process.cwd()): string[] {
  const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', path], {
    cwd,
    encoding: 'utf8',
  });
  return status
    .split('\n')
    .filter(Boolean)
    .map((entry) => entry.slice(3));
}
