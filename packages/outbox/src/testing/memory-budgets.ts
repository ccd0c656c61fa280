import { assertBudgetKey, assertBudgetPause, type BudgetPause } from '@hubline/core/store';
import type { OutboxBudgets } from '../types.js';

/** One budget's pause: the `budgets` row of the SQLite outbox. */
interface PauseRow {
  /** When it ends, epoch ms by the store's clock. */
  pausedUntil: number;
  /** Why. */
  reason: string;
}

/** The memory store's budget pauses: the `budgets` table of the SQLite outbox, in a map. */
export class MemoryBudgets implements OutboxBudgets {
  readonly #pauses = new Map<string, PauseRow>();
  readonly #now: () => number;
  readonly #assertOpen: () => void;

  /**
   * @param now - the store's clock
   * @param assertOpen - throws `OUTBOX_CLOSED` once the store is closed
   */
  constructor(now: () => number, assertOpen: () => void) {
    this.#now = now;
    this.#assertOpen = assertOpen;
  }

  /** See {@link OutboxBudgets.pause}. */
  pause(key: string, delayMs: number, reason: string): void {
    this.#assertOpen();
    assertBudgetPause(key, delayMs, reason);
    const pausedUntil = this.#now() + Math.ceil(delayMs);
    const current = this.#pauses.get(key);
    if (current === undefined || pausedUntil > current.pausedUntil)
      this.#pauses.set(key, { pausedUntil, reason });
  }

  /** See {@link OutboxBudgets.pausedFor}. */
  pausedFor(key: string): BudgetPause | undefined {
    this.#assertOpen();
    assertBudgetKey(key);
    const now = this.#now();
    const pause = this.#pauses.get(key);
    if (pause === undefined) return undefined;
    const remainingMs = pause.pausedUntil - now;
    return remainingMs > 0 ? { remainingMs, reason: pause.reason } : undefined;
  }

  /**
   * Moves every pause still running at `now` back by a clock step.
   *
   * @param now - the clock after the step
   * @param stepMs - how far it went back
   */
  stepBack(now: number, stepMs: number): void {
    for (const pause of this.#pauses.values()) {
      if (pause.pausedUntil > now) pause.pausedUntil -= stepMs;
    }
  }
}
