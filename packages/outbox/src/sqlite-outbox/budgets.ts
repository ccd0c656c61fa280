import {
  assertBudgetKey,
  assertBudgetPause,
  assertBudgetSlot,
  assertBudgetWindow,
  type BudgetPause,
  type BudgetTake,
  type BudgetWindow,
} from '@hubline/core/store';
import type { OutboxBudgets } from '../types.js';
import { BudgetSlots } from './budget-slots.js';
import type { OutboxConnection } from './connection.js';

/**
 * Budget pauses and slots in the outbox file (the `budgets` and `budget_slots` tables): every process on the file
 * shares them, and they outlive restarts. Times are stored by the outbox's clock and cross the API as durations.
 */
export class SqliteBudgets implements OutboxBudgets {
  readonly #connection: OutboxConnection;
  readonly #assertOpen: () => void;
  readonly #slots: BudgetSlots;

  /**
   * @param connection - the outbox's connection
   * @param assertOpen - throws `OUTBOX_CLOSED` once the outbox is closed
   */
  constructor(connection: OutboxConnection, assertOpen: () => void) {
    this.#connection = connection;
    this.#assertOpen = assertOpen;
    this.#slots = new BudgetSlots(connection);
  }

  /** See {@link OutboxBudgets.take}. */
  take(key: string, window: BudgetWindow): BudgetTake {
    this.#assertOpen();
    assertBudgetWindow(key, window);
    return this.#slots.take(key, window);
  }

  /** See {@link OutboxBudgets.use}. */
  use(key: string, slot: string): void {
    this.#assertOpen();
    assertBudgetSlot(key, slot);
    this.#slots.use(key, slot);
  }

  /** See {@link OutboxBudgets.giveBack}. */
  giveBack(key: string, slot: string): void {
    this.#assertOpen();
    assertBudgetSlot(key, slot);
    this.#slots.giveBack(key, slot);
  }

  /** See {@link OutboxBudgets.pause}. */
  pause(key: string, delayMs: number, reason: string): void {
    this.#assertOpen();
    assertBudgetPause(key, delayMs, reason);
    const connection = this.#connection;
    connection.write('budgets.pause', () => {
      const now = connection.observeClock();
      connection.sql.pauseBudget.run(key, now + Math.ceil(delayMs), reason);
    });
  }

  /** See {@link OutboxBudgets.pausedFor}. */
  pausedFor(key: string): BudgetPause | undefined {
    this.#assertOpen();
    assertBudgetKey(key);
    const connection = this.#connection;
    const now = connection.clockForRead('budgets.pausedFor');
    return connection.read('budgets.pausedFor', () => {
      const row = connection.sql.budgetPause.get(key) as { paused_until: number; reason: string } | undefined;
      if (row === undefined) return undefined;
      const remainingMs = row.paused_until - now;
      return remainingMs > 0 ? { remainingMs, reason: row.reason } : undefined;
    });
  }
}
