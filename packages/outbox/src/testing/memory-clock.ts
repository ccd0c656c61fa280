import { ValidationError } from '@hubline/core';
import { readClock } from '@hubline/core/store';

/**
 * The memory store's clock: each reading checked as the SQLite outbox checks it, and compared with the
 * high-water mark of the readings before it (kept in memory, where the outbox keeps it in its file); a step
 * back is handed to `onStepBack` once, before the reading is returned.
 */
export class MemoryClock {
  readonly #clock: () => number;
  readonly #onStepBack: (now: number, stepMs: number) => void;
  #highWater = 0;

  /**
   * @param clock - the injected wall clock
   * @param onStepBack - moves every wait back by `stepMs`
   */
  constructor(clock: () => number, onStepBack: (now: number, stepMs: number) => void) {
    this.#clock = clock;
    this.#onStepBack = onStepBack;
  }

  /** The time, epoch ms, after absorbing any step back. */
  now(): number {
    const now = this.#clock();
    if (!Number.isSafeInteger(now)) {
      throw new ValidationError('memory store clock', [
        { path: 'clock', message: `must return whole epoch milliseconds, returned ${String(now)}` },
      ]);
    }
    const reading = readClock(this.#highWater, now);
    if (reading.kind === 'stepped-back') this.#onStepBack(now, reading.stepMs);
    if (reading.kind !== 'steady') this.#highWater = now;
    return now;
  }
}
