/**
 * The ILIKE pattern matching `search` anywhere in a text, its own `%`, `_` and `\` taken
 * literally; undefined for no search (absent, or only white space).
 */
export function containsPattern(search: string | null | undefined): string | undefined {
  const text = search?.trim();
  return text ? `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
}
