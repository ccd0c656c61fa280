import { assertBudgetKey, assertBudgetPause, type BudgetPause } from '@hubline/core/store';
import type { OutboxBudgets } from '../types.js';
import type { OutboxConnection } from './connection.js';

/**
 * Budget pauses in the outbox file (the `budgets` table): every process on the file shares them, and they
 * outlive restarts. Times are stored by the outbox's clock and cross the API as durations.
 */
export class SqliteBudgets implements OutboxBudgets {
  readonly #connection: OutboxConnection;
  readonly #assertOpen: () => void;

  /**
   * @param connection - the outbox's connection
   * @param assertOpen - throws `OUTBOX_CLOSED` once the outbox is closed
   */
  constructor(connection: OutboxConnection, assertOpen: () => void) {
    this.#connection = connection;
    this.#assertOpen = assertOpen;
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
