import {
  createSourceEventStream,
  execute,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';

/** Results per event (the one message object every stream received) and subscription shape. */
const results = new WeakMap<object, Map<string, Promise<ExecutionResult> | ExecutionResult>>();

const documentSerials = new WeakMap<DocumentNode, number>();
let documentsSeen = 0;

/** What an event's result depends on: the operation, its variables, and who sees it. */
function shapeOf(args: ExecutionArgs): string {
  let serial = documentSerials.get(args.document);
  if (serial === undefined) documentSerials.set(args.document, (serial = ++documentsSeen));
  const { viewer } = args.contextValue as Context;
  // Auth scopes read the role and whether a key (which one, with what rights) is used.
  const who = viewer ? `${viewer.userId}:${viewer.role}:${viewer.apiKey?.id ?? 'session'}` : 'guest';
  return `${serial}:${args.operationName ?? ''}:${who}:${JSON.stringify(args.variableValues ?? {})}`;
}

/**
 * Executes each event once per subscription shape instead of once per subscriber: a
 * thousand guests on the same feed cost one execution of an event, not a thousand. The
 * result depends on the same things the resolvers read (the operation, its variables and
 * the viewer: guests share theirs, a signed-in user has their own per credential kind), so it is the answer each
 * subscriber would have got. An event ending one stream (LiveStream's end marker) is that
 * stream's own object and is executed for it alone.
 */
export function useSharedEventExecution(): Plugin<Context> {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args) => {
        const source = await createSourceEventStream(args);
        if (!isAsyncIterable(source)) return source;
        const shape = shapeOf(args);
        return mapAsyncIterator(source, (event: unknown) => {
          if (typeof event !== 'object' || event === null) return execute({ ...args, rootValue: event });
          let byShape = results.get(event);
          if (!byShape) results.set(event, (byShape = new Map()));
          let result = byShape.get(shape);
          if (!result) byShape.set(shape, (result = execute({ ...args, rootValue: event })));
          return result;
        });
      });
    },
  };
}
