import { describe, expect, it } from 'vitest';
import { CircuitBreaker, CircuitOpenError } from '../../src/http/rate-limit/circuit-breaker.js';

const fail = () => Promise.reject(new Error('Command timed out'));
const succeed = () => Promise.resolve('answer');

describe('CircuitBreaker', () => {
  it('passes calls through while they succeed', async () => {
    const breaker = new CircuitBreaker(5000, () => 0);
    await expect(breaker.run(succeed)).resolves.toBe('answer');
    await expect(breaker.run(succeed)).resolves.toBe('answer');
    expect(breaker.isOpen).toBe(false);
  });

  it('refuses calls without trying for the cool-down after a failure', async () => {
    let now = 0;
    const breaker = new CircuitBreaker(5000, () => now);
    await expect(breaker.run(fail)).rejects.toThrow('Command timed out');
    expect(breaker.isOpen).toBe(true);
    let tried = false;
    now = 4999;
    await expect(
      breaker.run(() => {
        tried = true;
        return succeed();
      }),
    ).rejects.toBeInstanceOf(CircuitOpenError);
    expect(tried).toBe(false);
  });

  it('lets one call try after the cool-down, refusing others meanwhile; its success closes it', async () => {
    let now = 0;
    const breaker = new CircuitBreaker(5000, () => now);
    await expect(breaker.run(fail)).rejects.toThrow();
    now = 5000;
    expect(breaker.isOpen).toBe(false);
    let answer!: (value: string) => void;
    const trial = breaker.run(() => new Promise<string>((resolve) => (answer = resolve)));
    await expect(breaker.run(succeed)).rejects.toBeInstanceOf(CircuitOpenError);
    answer('back');
    await expect(trial).resolves.toBe('back');
    expect(breaker.isOpen).toBe(false);
    await expect(breaker.run(succeed)).resolves.toBe('answer');
  });

  it('opens for another cool-down when the trial fails', async () => {
    let now = 0;
    const breaker = new CircuitBreaker(5000, () => now);
    await expect(breaker.run(fail)).rejects.toThrow();
    now = 6000;
    await expect(breaker.run(fail)).rejects.toThrow('Command timed out');
    now = 10_999;
    await expect(breaker.run(succeed)).rejects.toBeInstanceOf(CircuitOpenError);
    now = 11_000;
    await expect(breaker.run(succeed)).resolves.toBe('answer');
  });
});
