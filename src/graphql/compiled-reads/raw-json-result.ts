import type { ExecutionResult } from 'graphql';

/**
 * A result carrying the response's JSON text as Postgres built it. Yoga serializes a result
 * through its `stringify` when it has one, so the text goes out as it is (Postgres spaces
 * its JSON a little differently, the values are the same); parsing it, ~0.1 ms on a page of
 * 50, happens only if something reads `data`.
 *
 * A class, not an object literal with a getter: each literal with its own accessor functions
 * gets its own hidden class, which V8 allocates in old space, so every response's text was
 * reachable from old space and survived the scavenges until a mark-compact: on Q4, ~190 KB
 * promoted per scavenge and a mark-compact every ~3 s, against ~11 KB and none this way
 * (bench/README.md).
 */
export class RawJsonResult implements ExecutionResult {
  readonly #json: string;
  #data: Record<string, unknown> | undefined;

  constructor(json: string) {
    this.#json = json;
  }

  get data(): Record<string, unknown> {
    return (this.#data ??= JSON.parse(this.#json) as Record<string, unknown>);
  }

  /** Yoga calls it detached, with the result as its argument. */
  stringify(this: void, result: RawJsonResult): string {
    return `{"data":${result.#json}}`;
  }

  /** What JSON.stringify of the result gives, as for any other result. */
  toJSON(): ExecutionResult {
    return { data: this.data };
  }
}
