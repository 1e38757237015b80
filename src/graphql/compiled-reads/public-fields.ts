import {
  getArgumentValues,
  type FieldNode,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
} from 'graphql';
import { readPlanOf } from '../read-plans.js';
import { never, notThisTime } from './not-compilable.js';

/**
 * The Pothos field options whose meaning the compiler knows: shape, documentation, and the
 * resolver that the field's plan or exposed column stands for. Any other option — auth
 * scopes, grants, an unauthorized resolver, field-level validation, whatever a plugin adds
 * later — is logic only the resolvers run, so a field carrying it is never compiled.
 */
const knownFieldOptions: ReadonlySet<string> = new Set([
  'description',
  'deprecationReason',
  'type',
  'nullable',
  'args',
  'resolve',
  'extensions',
  'select',
]);

type PothosExtensions = { pothosOptions?: Record<string, unknown>; pothosArgMappers?: unknown[] };

const extensionsOf = (thing: { extensions: unknown }) => (thing.extensions ?? {}) as PothosExtensions;

/** Throws NotCompilable unless the field carries only options the compiler knows. */
export function assertPublicField(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>): void {
  const { pothosOptions = {}, pothosArgMappers = [] } = extensionsOf(field);
  for (const option of Object.keys(pothosOptions)) {
    if (!knownFieldOptions.has(option)) never(`${parent.name}.${field.name} has ${option}`);
  }
  // Argument mappers change what the resolver sees. The one allowed is Relay's decoding of
  // node(id:)'s global id, which the node plan decodes the same way (read-statement.ts).
  const decodesOwnIds =
    readPlanOf(field.extensions)?.kind === 'node' &&
    field.args.every(
      (arg) => arg.name === 'id' || !(arg.extensions as { isRelayGlobalID?: boolean }).isRelayGlobalID,
    );
  if (pothosArgMappers.length > 0 && !decodesOwnIds) never(`${parent.name}.${field.name} maps its arguments`);
}

/**
 * The type auth rule of `type` or of an interface it implements that a row must pass to
 * be seen, if any. `grants` are rules the caller knows its rows pass (the viewer's own
 * account); any other rule keeps the type to the resolvers.
 */
export function isPublicType(type: GraphQLObjectType, grants: readonly unknown[] = []): boolean {
  const types: (GraphQLObjectType | GraphQLInterfaceType)[] = [type, ...type.getInterfaces()];
  return types.every((candidate) => {
    const rule = extensionsOf(candidate).pothosOptions?.authScopes;
    return rule === undefined || grants.includes(rule);
  });
}

export function assertPublicType(type: GraphQLObjectType, grants?: readonly unknown[]): void {
  if (!isPublicType(type, grants)) never(`${type.name} has auth scopes`);
}

type Arguments = Record<string, unknown>;
interface Validator {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false };
}

/**
 * A field's arguments for a request, as its resolver would get them: coerced from the
 * variables, then through the zod validation Pothos runs before the resolver (and with its
 * transformations). A value the resolvers would refuse leaves the request to them, so they
 * report it. `only` limits the work to the arguments a caller needs.
 */
export function fieldArguments(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
  only?: ReadonlySet<string>,
): Arguments {
  let args: Arguments;
  try {
    args = getArgumentValues(field, node, variables);
  } catch {
    return notThisTime(`arguments of ${field.name}`);
  }
  for (const arg of field.args) {
    if (only && !only.has(arg.name)) continue;
    const validator = (arg.extensions as { validator?: Validator }).validator;
    if (!validator) continue;
    let result: ReturnType<Validator['safeParse']>;
    try {
      result = validator.safeParse(args[arg.name]);
    } catch {
      // An asynchronous rule: only the resolvers can run it.
      return never(`${field.name}(${arg.name}) validates asynchronously`);
    }
    if (!result.success) notThisTime(`${field.name}(${arg.name}) is invalid`);
    else if (result.data !== undefined) args[arg.name] = result.data;
  }
  return args;
}
