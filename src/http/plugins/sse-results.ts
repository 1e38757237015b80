import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

const headers = {
  'Content-Type': 'text/event-stream',
  Connection: 'keep-alive',
  'Cache-Control': 'no-cache',
  'Content-Encoding': 'none',
};

/** Yoga's instructions to itself (HTTP status and headers) are not part of an event. */
function withoutInternals(result: ExecutionResult): ExecutionResult {
  const extensions = result.extensions as { http?: unknown } | undefined;
  if (!extensions?.http) return result;
  const { http: _http, ...rest } = extensions;
  return { ...result, extensions: Object.keys(rest).length > 0 ? rest : undefined };
}

/**
 * Streams (subscriptions, @defer/@stream) to clients that accept `text/event-stream`, in the
 * GraphQL over SSE format Yoga writes (`event: next` per result, `event: complete` at the end,
 * a `:` comment every `pingIntervalMs`), with two differences that matter at a thousand
 * subscribers: each event is one chunk, and a result shared by many streams (one execution
 * per subscription shape, src/graphql/events/shared-execution.ts) is serialized once.
 */
export function useSseResults(pingIntervalMs: number): Plugin {
  const encoder = new TextEncoder();
  const ping = encoder.encode(':\n\n');
  const complete = encoder.encode('event: complete\ndata:\n\n');
  const encoded = new WeakMap<object, Uint8Array>();
  const encode = (result: ExecutionResult) => {
    let bytes = encoded.get(result);
    if (!bytes) {
      bytes = encoder.encode(`event: next\ndata: ${JSON.stringify(withoutInternals(result))}\n\n`);
      encoded.set(result, bytes);
    }
    return bytes;
  };
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (!isAsyncIterable(result) || !request.headers.get('accept')?.includes('text/event-stream')) return;
      setResultProcessor((stream, fetchAPI) => {
        const iterator = (stream as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
        let timer: NodeJS.Timeout | undefined;
        const body = new fetchAPI.ReadableStream<Uint8Array>({
          start(controller) {
            // At once: some browsers hold a fetch until the first bytes arrive.
            controller.enqueue(ping);
            timer = setInterval(() => {
              if (controller.desiredSize === null) clearInterval(timer);
              else if (controller.desiredSize > 0) controller.enqueue(ping);
            }, pingIntervalMs);
          },
          async pull(controller) {
            try {
              const { done, value } = await iterator.next();
              if (value != null) controller.enqueue(encode(value));
              if (done) {
                clearInterval(timer);
                controller.enqueue(complete);
                controller.close();
              }
            } catch (error) {
              clearInterval(timer);
              controller.error(error);
            }
          },
          async cancel() {
            clearInterval(timer);
            await iterator.return?.();
          },
        });
        return new fetchAPI.Response(body, { status: 200, headers });
      }, 'text/event-stream');
    },
  };
}
