import type { Context } from './context.js';

/** Whether the viewer is the account `ownerId` or an admin: who may see an account's own rows. */
export const ownsOrAdmin = (ctx: Context, ownerId: number) =>
  ctx.viewer !== null && (ctx.viewer.role === 'admin' || ctx.viewer.userId === ownerId);

/** The auth scopes a row's editor needs: its creator with write access, or an admin with write access. */
type EditorScopes = { writer: true } | { $all: { writer: true; admin: true } };

/**
 * authScopes for changing a row: writers may change what they created, admins anything.
 * `id` is the row's id from the field's arguments, undefined when malformed; `loadCreator`
 * reads who created it (one primary-key lookup, skipped for guests and admins).
 */
export async function editableBy(
  ctx: Context,
  id: number | undefined,
  loadCreator: (id: number) => Promise<{ createdById: number | null } | undefined>,
): Promise<EditorScopes> {
  const writer = { writer: true } as const;
  // Guests fail `writer` anyway; a malformed id is the resolver's BAD_USER_INPUT.
  if (!ctx.viewer || ctx.viewer.role === 'admin' || id === undefined) return writer;
  const row = await loadCreator(id);
  // A missing row is the resolver's NOT_FOUND rather than a FORBIDDEN.
  if (!row || row.createdById === ctx.viewer.userId) return writer;
  return { $all: { writer: true, admin: true } };
}
