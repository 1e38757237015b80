import { ChangeType, CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { z } from 'zod';

/** One entry of the allow-file: a breaking change the team accepts, and why. */
export const allowedChangeSchema = z.object({
  /** graphql-inspector's change type, e.g. FIELD_REMOVED. */
  type: z.string().trim().min(1),
  /** The schema coordinate it applies to, e.g. User.email. */
  path: z.string().trim().min(1),
  reason: z.string().trim().min(10, 'say why the break is acceptable (at least 10 characters)'),
});
export type AllowedChange = z.infer<typeof allowedChangeSchema>;
export const allowFileSchema = z.array(allowedChangeSchema);

export interface Blocked {
  change: Change;
  /** What to do about it. */
  why: string;
}

export interface SchemaCheckResult {
  /** Every difference: breaking first, then dangerous, then safe; by type and path within each. */
  changes: Change[];
  /** Breaking changes that fail the check. */
  blocked: Blocked[];
  /** Breaking changes the allow-file accepts, with its reason. */
  allowed: { change: Change; reason: string }[];
  /** Allow-file entries that matched nothing: already published, or mistyped. */
  unused: AllowedChange[];
}

/** Removals that must have been published as @deprecated(reason:) before they happen. */
function removedWithoutDeprecation(change: Change): boolean {
  const meta = change.meta as Record<string, unknown>;
  switch (change.type) {
    case ChangeType.FieldRemoved:
      return meta.isRemovedFieldDeprecated !== true;
    case ChangeType.EnumValueRemoved:
      return meta.isEnumValueDeprecated !== true;
    case ChangeType.InputFieldRemoved:
      return meta.isInputFieldDeprecated !== true;
    default:
      return false;
  }
}

const keyOf = (type: string, path: string | undefined) => `${type} ${path ?? ''}`;
const severity = [CriticalityLevel.Breaking, CriticalityLevel.Dangerous, CriticalityLevel.NonBreaking];
const byImportance = (a: Change, b: Change) =>
  severity.indexOf(a.criticality.level) - severity.indexOf(b.criticality.level) ||
  keyOf(a.type, a.path).localeCompare(keyOf(b.type, b.path));

/**
 * Compares the published SDL with the current one. A breaking change fails unless the
 * allow-file lists it; removing a field, input field or enum value fails regardless until a
 * published schema has marked it @deprecated, so clients get a release's warning first.
 */
export async function checkSchemaChanges(
  publishedSdl: string,
  currentSdl: string,
  allowFile: AllowedChange[],
): Promise<SchemaCheckResult> {
  const changes = (await diff(buildSchema(publishedSdl), buildSchema(currentSdl))).sort(byImportance);
  const allowances = new Map(allowFile.map((entry) => [keyOf(entry.type, entry.path), entry]));
  const used = new Set<string>();
  const result: SchemaCheckResult = { changes, blocked: [], allowed: [], unused: [] };

  for (const change of changes) {
    if (change.criticality.level !== CriticalityLevel.Breaking) continue;
    const key = keyOf(change.type, change.path);
    const allowance = allowances.get(key);
    if (allowance) used.add(key);
    if (removedWithoutDeprecation(change)) {
      result.blocked.push({
        change,
        why: 'not deprecated in the published schema: mark it @deprecated(reason: "…") and publish that first',
      });
    } else if (allowance) {
      result.allowed.push({ change, reason: allowance.reason });
    } else {
      result.blocked.push({
        change,
        why: `not in the allow-file: add ${JSON.stringify({ type: change.type, path: change.path ?? '', reason: '…' })} if clients have been told`,
      });
    }
  }
  result.unused = allowFile.filter((entry) => !used.has(keyOf(entry.type, entry.path)));
  return result;
}
