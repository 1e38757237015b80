import type { Clock } from './window-log.js';

/** Refused without trying: the dependency failed lately. */
export class CircuitOpenError extends Error {
  override name = 'CircuitOpenError';
}

/**
 * Fails fast for `coolDownMs` after a call fails, instead of letting every caller wait
 * out the same timeout on a dependency that stopped answering. After the cool-down one
 * call at a time is let through: its success closes the circuit, its failure opens it
 * for another cool-down.
 */
export class CircuitBreaker {
  private openUntil = 0;
  private trying = false;

  constructor(
    private readonly coolDownMs: number,
    private readonly clock: Clock = Date.now,
  ) {}

  /** True while calls are refused without trying. */
  get isOpen(): boolean {
    return this.openUntil > 0 && (this.clock() < this.openUntil || this.trying);
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const halfOpen = this.openUntil > 0;
    if (halfOpen && this.isOpen) throw new CircuitOpenError('refused while the circuit is open');
    if (halfOpen) this.trying = true;
    try {
      const result = await call();
      this.openUntil = 0;
      return result;
    } catch (error) {
      this.openUntil = this.clock() + this.coolDownMs;
      throw error;
    } finally {
      if (halfOpen) this.trying = false;
    }
  }
}
