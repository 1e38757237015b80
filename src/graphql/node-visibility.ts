import type { Context } from './context.js';

type Rule = (node: never, ctx: Context) => boolean;

const rules = new Map<string, Rule>();

/**
 * Declares who may see objects of `typename`. The type's authScopes use the rule, and so
 * does `node(id:)`: it must answer an object the viewer may not see exactly as an id that
 * matches nothing, or it tells anyone which accounts and keys exist. Types without a rule
 * are public.
 */
export function visibility<T>(typename: string, rule: (node: T, ctx: Context) => boolean) {
  rules.set(typename, rule as Rule);
  return rule;
}

/** Whether the viewer may see `node`, an object of `typename`. */
export function isVisible(typename: string, node: unknown, ctx: Context): boolean {
  const rule = rules.get(typename) as ((node: unknown, ctx: Context) => boolean) | undefined;
  return rule ? rule(node, ctx) : true;
}
