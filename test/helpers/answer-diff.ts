import type { Answer } from './two-paths.js';

/** An error as clients may rely on it: where it happened and its code, not its wording. */
const errorKey = (error: { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }) =>
  `${JSON.stringify(error.path ?? null)} ${String(error.extensions?.code)}`;

/**
 * How two answers to the same request differ for a client, or [] when they agree: the
 * HTTP status; whether `data` is there, and its JSON text (key order included, after a
 * parse and re-serialization, so spacing does not count); the errors by count, `path`
 * and `extensions.code` (in any order: both paths may report them in another order).
 */
export function answerDifferences(compiled: Answer, resolved: Answer): string[] {
  const differences: string[] = [];
  if (compiled.status !== resolved.status) {
    differences.push(`status ${compiled.status} compiled, ${resolved.status} resolved`);
  }
  const has = (answer: Answer, key: 'data' | 'errors') => Object.hasOwn(answer.body, key);
  const presence = (key: 'data' | 'errors') =>
    `${key} ${has(compiled, key) ? 'present' : 'absent'} compiled, ${has(resolved, key) ? 'present' : 'absent'} resolved`;
  if (has(compiled, 'data') !== has(resolved, 'data')) differences.push(presence('data'));
  const data = (answer: Answer) => JSON.stringify(answer.body.data);
  if (has(compiled, 'data') && has(resolved, 'data') && data(compiled) !== data(resolved)) {
    differences.push('data differs');
  }
  const errors = (answer: Answer) => (answer.body.errors ?? []).map(errorKey).sort();
  const [compiledErrors, resolvedErrors] = [errors(compiled), errors(resolved)];
  if (has(compiled, 'errors') !== has(resolved, 'errors')) {
    differences.push(presence('errors'));
  } else if (JSON.stringify(compiledErrors) !== JSON.stringify(resolvedErrors)) {
    differences.push(
      `errors (path code) ${JSON.stringify(compiledErrors)} compiled, ${JSON.stringify(resolvedErrors)} resolved`,
    );
  }
  return differences;
}
