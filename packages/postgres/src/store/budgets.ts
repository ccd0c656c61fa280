import {
  assertBudgetKey,
  assertBudgetPause,
  assertBudgetSlot,
  assertBudgetWindow,
  type BudgetPause,
  type BudgetTake,
  type BudgetWindow,
  MAX_DELAY_MS,
} from '@hubline/core/store';
import type { StoreClock } from '../clock/store-clock.js';
import type { StoreContext } from '../storage/store-context.js';
import type { PostgresBudgets } from '../types.js';

/** A slot as `take` hands it out: the decimal key of its `budget_slots` row. Any other is unknown. */
const SLOT = /^[1-9][0-9]{0,14}$/;

/**
 * Budget pauses in the database (the `budgets` table, a row per key): every engine on it shares them, and they
 * outlive restarts. A pause is one `INSERT … ON CONFLICT DO UPDATE … WHERE` that only ever moves the end later,
 * so concurrent pauses from several machines keep the longest without a lock held across statements. Times are
 * stored by the store's clock and cross the API as durations.
 *
 * Slots (`take`, `use`, `giveBack`) are a sliding window per key in `budget_slots`, a row per slot: the takers of
 * one key take turns under an advisory lock held until their commit, so that every process on the database counts
 * the same slots and together never exceed the limit.
 */
export class StoredBudgets implements PostgresBudgets {
  readonly #context: StoreContext;
  readonly #clock: StoreClock;
  readonly #assertOpen: () => void;

  /**
   * @param context - the store's context
   * @param clock - the store's clock
   * @param assertOpen - throws `OUTBOX_CLOSED` once the store is closed
   */
  constructor(context: StoreContext, clock: StoreClock, assertOpen: () => void) {
    this.#context = context;
    this.#clock = clock;
    this.#assertOpen = assertOpen;
  }

  /** See {@link PostgresBudgets.pause}. */
  async pause(key: string, delayMs: number, reason: string): Promise<void> {
    this.#assertOpen();
    assertBudgetPause(key, delayMs, reason);
    const { sql } = this.#context;
    await this.#clock.transaction('budgets.pause', async ({ runner }, now) => {
      await runner.rows(sql.pauseBudget, [key, now + Math.ceil(delayMs), reason]);
    });
  }

  /** See {@link PostgresBudgets.pausedFor}. */
  async pausedFor(key: string): Promise<BudgetPause | undefined> {
    this.#assertOpen();
    assertBudgetKey(key);
    for (;;) {
      const now = await this.#clock.read('budgets.pausedFor');
      const sentAt = performance.now();
      const [row] = await this.#context.query<{
        highWater: number;
        serverNow: number;
        pausedUntil: number | null;
        reason: string | null;
      }>('budgets.pausedFor', this.#context.sql.budgetPause, [key]);
      if (row === undefined) return undefined;
      const clockRow = {
        highWater: row.highWater,
        serverNow: row.serverNow,
        sentAt,
        receivedAt: performance.now(),
      };
      // A step back was absorbed: the pause read before it is stretched; read it again.
      if (await this.#clock.check('budgets.pausedFor', clockRow, now)) continue;
      if (row.pausedUntil === null) return undefined;
      const remainingMs = row.pausedUntil - now;
      return remainingMs > 0 ? { remainingMs, reason: row.reason ?? '' } : undefined;
    }
  }

  /** See {@link PostgresBudgets.take}. */
  async take(key: string, window: BudgetWindow): Promise<BudgetTake> {
    this.#assertOpen();
    assertBudgetWindow(key, window);
    const { sql, slotLocks } = this.#context;
    return this.#clock.transaction('budgets.take', async ({ runner }, now) => {
      await runner.rows(sql.slotLock, [slotLocks, key]);
      const [row] = await runner.rows<{ slot: string | null; freeAt: number | null }>(sql.takeSlot, [
        key,
        now,
        window.requests,
        window.windowMs,
      ]);
      if (row?.slot != null) return { slot: row.slot };
      return { waitMs: Math.min(MAX_DELAY_MS, Math.max(1, (row?.freeAt ?? now) - now)) };
    });
  }

  /** See {@link PostgresBudgets.use}. */
  async use(key: string, slot: string): Promise<void> {
    this.#assertOpen();
    assertBudgetSlot(key, slot);
    const now = await this.#clock.read('budgets.use');
    const known = SLOT.test(slot) ? slot : null;
    await this.#context.query('budgets.use', this.#context.sql.useSlot, [key, known, now]);
  }

  /** See {@link PostgresBudgets.giveBack}. */
  async giveBack(key: string, slot: string): Promise<void> {
    this.#assertOpen();
    assertBudgetSlot(key, slot);
    if (!SLOT.test(slot)) return;
    await this.#context.query('budgets.giveBack', this.#context.sql.giveBackSlot, [key, slot]);
  }
}
