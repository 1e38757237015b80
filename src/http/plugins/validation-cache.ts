import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

type OnValidate = NonNullable<Plugin['onValidate']>;
type OnPluginInit = NonNullable<Plugin['onPluginInit']>;

/** Where onCacheMiss keeps a plugin's onValidate, out of envelop's sight. */
const rulesHook = Symbol('onValidate, run on a validation cache miss');
/** Marks useValidationCache's plugin. */
const runsRulesHooks = Symbol('runs the onValidate hooks set aside');
type Deferred = Plugin & { [rulesHook]?: OnValidate; [runsRulesHooks]?: true };

/**
 * `plugin` with its onValidate — and that of every plugin it adds — run by
 * useValidationCache, only for a document it has not validated yet. For plugins whose
 * onValidate only adds rules (the operation limits, graphql-armor's, @defer/@stream's):
 * envelop would call them on every request, each with a fresh payload of closures, to
 * build a rule list that a cached result never uses.
 */
export function onCacheMiss(plugin: Plugin): Plugin {
  const { onValidate, onPluginInit, ...rest } = plugin;
  return {
    ...rest,
    [rulesHook]: onValidate,
    onPluginInit(payload: Parameters<OnPluginInit>[0]) {
      // Without the cache the rules would silently never run: a depth limit gone.
      if (!payload.plugins.some((other) => (other as Deferred)[runsRulesHooks])) {
        throw new Error('onCacheMiss: the plugin list has no useValidationCache to run the rules');
      }
      return onPluginInit?.({
        ...payload,
        addPlugin: (added) => payload.addPlugin(onCacheMiss(added as Plugin)),
      });
    },
  } as Deferred;
}

/**
 * Yoga's validation cache, keyed by the document alone. Yoga's own keys it by the names
 * of every rule too, joining some thirty of them on every request; here the rules and
 * the schema are fixed for the life of the Yoga instance this plugin belongs to, so the
 * DocumentNode (one per distinct query, from Yoga's parser cache) says it all. On a miss
 * it first runs the onValidate hooks onCacheMiss set aside, in plugin order.
 */
export function useValidationCache(): Plugin {
  let plugins: readonly Deferred[] = [];
  let hooks: OnValidate[] | undefined;
  const results = new WeakMap<DocumentNode, readonly unknown[]>();
  const plugin: Deferred = {
    [runsRulesHooks]: true,
    onPluginInit(payload) {
      // The very list envelop runs: plugins added later are spliced into it.
      plugins = payload.plugins as Deferred[];
    },
    onValidate(payload) {
      const { documentAST } = payload.params;
      const cached = results.get(documentAST);
      if (cached) return payload.setResult(cached);
      hooks ??= plugins.flatMap((other) => other[rulesHook] ?? []);
      const after = hooks.flatMap((hook) => hook(payload) ?? []);
      return (done) => {
        for (const hook of after) hook(done);
        results.set(documentAST, done.result);
      };
    },
  };
  return plugin;
}
