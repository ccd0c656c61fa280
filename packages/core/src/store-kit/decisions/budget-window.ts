import type { BudgetTake, BudgetWindow } from '../../store/types.js';

/** How many windows a slot may be held, neither used nor given back, before the store takes it back. */
export const HELD_SLOT_WINDOWS = 5;

/** One slot of a budget's window, as a store keeps it. */
export interface WindowSlot {
  /** When it was taken (held) or used, epoch ms by the store's clock. */
  readonly at: number;
  /** Whether the request it was taken for has left. */
  readonly used: boolean;
}

/**
 * When a slot stops counting against its window: a used slot one window after its use, a held one after
 * {@link HELD_SLOT_WINDOWS} windows (its holder is gone).
 *
 * @param slot - the slot
 * @param windowMs - the window
 */
export function slotEndsAt(slot: WindowSlot, windowMs: number): number {
  return slot.at + (slot.used ? windowMs : HELD_SLOT_WINDOWS * windowMs);
}

/**
 * The sliding-window rule every store applies in `BudgetStore.take`: a slot is granted while fewer than
 * `window.requests` slots still count at `now`; otherwise the wait until the first of them stops counting.
 *
 * @param slots - the budget's slots (those that stopped counting are ignored)
 * @param now - the store's clock
 * @param window - the limit
 * @returns `{ slot: '' }` when one may be taken (the store names it), or `{ waitMs }` (≥ 1)
 */
export function decideTake(slots: Iterable<WindowSlot>, now: number, window: BudgetWindow): BudgetTake {
  let counting = 0;
  let firstEnd = Number.POSITIVE_INFINITY;
  for (const slot of slots) {
    const end = slotEndsAt(slot, window.windowMs);
    if (end <= now) continue;
    counting += 1;
    firstEnd = Math.min(firstEnd, end);
  }
  if (counting < window.requests) return { slot: '' };
  return { waitMs: Math.max(1, firstEnd - now) };
}
