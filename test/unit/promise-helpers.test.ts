/**
 * vendor/promise-helpers' iterateAsync, which Yoga, @whatwg-node/server and envelop run every
 * plugin hook list through: the loop that replaced 2.0.2's closures keeps its contract, in the
 * ES module and the CommonJS copy alike.
 */
import { createRequire } from 'node:module';
import * as esm from '@whatwg-node/promise-helpers';
import { describe, expect, it } from 'vitest';

type IterateAsync = typeof esm.iterateAsync;
const cjs = createRequire(import.meta.url)('@whatwg-node/promise-helpers') as typeof esm;

describe.each([
  ['esm', esm.iterateAsync],
  ['cjs', cjs.iterateAsync],
] as [string, IterateAsync][])('iterateAsync (%s)', (_name, iterateAsync) => {
  it('calls back for each element in order with its index, synchronously, collecting truthy results', () => {
    const calls: [string, number][] = [];
    const results: string[] = [];
    const returned = iterateAsync(
      ['a', 'b', 'c'],
      (value, _endEarly, index) => {
        calls.push([value, index]);
        return value === 'b' ? undefined : value.toUpperCase();
      },
      results,
    );
    expect(returned).toBeUndefined();
    expect(calls).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
    expect(results).toEqual(['A', 'C']);
  });

  it('stops after the element that ends early, keeping its result', () => {
    const seen: number[] = [];
    const results: number[] = [];
    iterateAsync(
      [1, 2, 3],
      (value, endEarly) => {
        seen.push(value);
        if (value === 2) endEarly();
        return value * 10;
      },
      results,
    );
    expect(seen).toEqual([1, 2]);
    expect(results).toEqual([10, 20]);
  });

  it('waits for an element that returns a promise before the next, and can end early from it', async () => {
    const order: string[] = [];
    const results: string[] = [];
    const done = iterateAsync(
      ['sync', 'async', 'after', 'last'],
      (value, endEarly) => {
        order.push(`start ${value}`);
        if (value === 'async') {
          return new Promise<string>((resolve) =>
            setImmediate(() => {
              order.push('end async');
              resolve(value);
            }),
          );
        }
        order.push(`end ${value}`);
        if (value === 'after') endEarly();
        return value;
      },
      results,
    );
    expect(done).toBeInstanceOf(Promise);
    expect(order).toEqual(['start sync', 'end sync', 'start async']);
    await done;
    expect(order).toEqual(['start sync', 'end sync', 'start async', 'end async', 'start after', 'end after']);
    expect(results).toEqual(['sync', 'async', 'after']);
  });

  it('throws what a callback throws, and rejects with what a promise rejects with', async () => {
    expect(() =>
      iterateAsync([1], () => {
        throw new Error('sync');
      }),
    ).toThrow('sync');
    await expect(
      iterateAsync([1, 2], (value) => (value === 2 ? Promise.reject(new Error('async')) : undefined)),
    ).rejects.toThrow('async');
  });

  it('returns at once for an empty list', () => {
    expect(iterateAsync([], () => expect.unreachable())).toBeUndefined();
  });
});
