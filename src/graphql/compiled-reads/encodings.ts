import { cursorValueKinds, type CursorValueKind, type Ordering } from '../ordering.js';

/**
 * Base64 as Postgres writes it, without the line break it inserts every 76 characters
 * (JavaScript's has none).
 */
const base64 = (text: string) => `translate(encode(convert_to(${text}, 'UTF8'), 'base64'), E'\\n', '')`;

/**
 * Pothos Relay's global id: base64 of "Type:id". An id of this length never reaches 76
 * characters of base64, so no line break to remove.
 */
export const globalIdSql = (typename: string, idRef: string) =>
  `encode(convert_to('${typename}:' || ${idRef}, 'UTF8'), 'base64')`;

/** One value as a tagged chunk of @pothos/core (see cursorValueKinds). */
function chunk(kind: CursorValueKind, ref: string): string {
  const tag = `'${cursorValueKinds[kind].tag}:'`;
  switch (kind) {
    case 'timestamp':
      // Epoch milliseconds, as Number(date) gives them (the columns hold milliseconds).
      return `${tag} || (extract(epoch from ${ref}) * 1000)::bigint::text`;
    case 'string':
    case 'integer':
      return `${tag} || ${ref}::text`;
  }
}

/**
 * The cursor the Drizzle plugin writes for a row ordered by `ordering`, whose key values
 * are at `refs`: base64 of `DC:` and the value's chunk, or for several keys `T:` and the
 * JSON array of their chunks (to_json quotes and escapes text as JSON.stringify does).
 */
export function cursorSql<Table>(ordering: Ordering<Table>, refs: readonly string[]): string {
  const chunks = ordering.keys.map((key, index) => chunk(key.kind, refs[index]!));
  const value =
    chunks.length === 1
      ? chunks[0]!
      : `'T:[' || ${chunks.map((c) => `to_json(${c})::text`).join(` || ',' || `)} || ']'`;
  return base64(`'DC:' || ${value}`);
}
