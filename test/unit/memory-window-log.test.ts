import { describe, expect, it } from 'vitest';
import { MemoryWindowLog } from '../../src/http/rate-limit/memory-window-log.js';

const limit = { max: 3, windowMs: 1000 };

function setup() {
  let now = 1_000_000;
  const log = new MemoryWindowLog(() => now);
  return { log, advance: (ms: number) => (now += ms) };
}

describe('MemoryWindowLog', () => {
  it('admits exactly max calls in a window and refuses the next', async () => {
    const { log } = setup();
    const takes = [];
    for (let i = 0; i < 4; i++) takes.push(await log.take('k', limit));
    expect(takes.map((take) => take.allowed)).toEqual([true, true, true, false]);
  });

  it('frees a slot exactly when the oldest call leaves the window', async () => {
    const { log, advance } = setup();
    await log.take('k', limit);
    advance(400);
    await log.take('k', limit);
    await log.take('k', limit);
    expect(await log.take('k', limit)).toMatchObject({ allowed: false, retryAfterMs: 600 });
    expect(await log.retryAfterMs('k', limit)).toBe(600);
    advance(599);
    expect((await log.take('k', limit)).allowed).toBe(false);
    advance(1);
    expect(await log.retryAfterMs('k', limit)).toBe(0);
    expect((await log.take('k', limit)).allowed).toBe(true);
  });

  it('keeps keys apart', async () => {
    const { log } = setup();
    for (let i = 0; i < 3; i++) await log.take('a', limit);
    expect((await log.take('a', limit)).allowed).toBe(false);
    expect((await log.take('b', limit)).allowed).toBe(true);
  });

  it('forgets a released call', async () => {
    const { log } = setup();
    const first = await log.take('k', limit);
    await log.take('k', limit);
    await log.take('k', limit);
    if (!first.allowed) throw new Error('first call refused');
    await log.release('k', first.token);
    expect((await log.take('k', limit)).allowed).toBe(true);
    expect((await log.take('k', limit)).allowed).toBe(false);
  });
});
