import {
  assertBudgetKey,
  assertBudgetPause,
  assertBudgetSlot,
  assertBudgetWindow,
  type BudgetPause,
  type BudgetTake,
  type BudgetWindow,
  decideTake,
  slotEndsAt,
  type WindowSlot,
} from '@hubline/core/store';
import type { OutboxBudgets } from '../types.js';

/** One budget's pause: the `budgets` row of the SQLite outbox. */
interface PauseRow {
  /** When it ends, epoch ms by the store's clock. */
  pausedUntil: number;
  /** Why. */
  reason: string;
}

/** One slot of a window, as the SQLite outbox's `budget_slots` row. */
interface SlotRow extends WindowSlot {
  at: number;
  used: boolean;
}

/** The memory store's budget pauses and slots: the `budgets` and `budget_slots` tables of the SQLite outbox, in maps. */
export class MemoryBudgets implements OutboxBudgets {
  readonly #pauses = new Map<string, PauseRow>();
  /** Each key's slots by slot id. */
  readonly #slots = new Map<string, Map<string, SlotRow>>();
  #nextSlot = 1;
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

  /** See {@link OutboxBudgets.take}. */
  take(key: string, window: BudgetWindow): BudgetTake {
    this.#assertOpen();
    assertBudgetWindow(key, window);
    const now = this.#now();
    const slots = this.#slotsOf(key);
    for (const [slot, row] of slots) if (slotEndsAt(row, window.windowMs) <= now) slots.delete(slot);
    const taken = decideTake(slots.values(), now, window);
    if (!('slot' in taken)) return taken;
    const slot = String(this.#nextSlot++);
    slots.set(slot, { at: now, used: false });
    return { slot };
  }

  /** See {@link OutboxBudgets.use}. */
  use(key: string, slot: string): void {
    this.#assertOpen();
    assertBudgetSlot(key, slot);
    this.#slotsOf(key).set(slot, { at: this.#now(), used: true });
  }

  /** See {@link OutboxBudgets.giveBack}. */
  giveBack(key: string, slot: string): void {
    this.#assertOpen();
    assertBudgetSlot(key, slot);
    this.#slotsOf(key).delete(slot);
  }

  #slotsOf(key: string): Map<string, SlotRow> {
    let slots = this.#slots.get(key);
    if (slots === undefined) {
      slots = new Map();
      this.#slots.set(key, slots);
    }
    return slots;
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
    // A slot stamped after `now` was stamped by the clock before its step: it counts from as far back.
    for (const slots of this.#slots.values()) {
      for (const slot of slots.values()) if (slot.at > now) slot.at -= stepMs;
    }
  }
}
