import type { EntryState, EntryStatus } from '../../lifecycle/types.js';

/*
 * What a store derives from an entry's state to index and count it: the same in every store, so that each one's
 * claim order, backlog and counters mean the same.
 */

/**
 * Whether an entry with this status still waits for delivery (counts against the size cap and the backlog).
 *
 * @param status - the entry's status
 */
export function isOpenStatus(status: EntryStatus): boolean {
  return status === 'pending' || status === 'leased';
}

/**
 * When an entry may next be claimed, the indexed `due_at` of the stores: its next attempt while pending, its
 * lease's end while leased, `null` once it never will be.
 *
 * @param state - the entry's state
 */
export function dueAtOf(state: EntryState): number | null {
  if (state.status === 'pending') return state.nextAttemptAt;
  if (state.status === 'leased') return state.leaseUntil;
  return null;
}

/**
 * The indexed `backlog_at` of the stores: the entry's record time while it waits for delivery, else `null`.
 *
 * @param state - the entry's state
 */
export function backlogAtOf(state: EntryState): number | null {
  return isOpenStatus(state.status) ? state.recordedAt : null;
}

/** Changes to a store's counters accumulated during one transaction, written once at its end. */
export class CounterDelta {
  /** Change of the pending count. */
  pending = 0;
  /** Change of the leased count. */
  leased = 0;
  /** Change of the delivered count. */
  delivered = 0;
  /** Change of the dead count. */
  dead = 0;
  /** Change of the evicted count. */
  evicted = 0;
  /** Change of the bytes of pending and leased entries. */
  backlogBytes = 0;

  /**
   * Accounts for one entry moving between statuses.
   *
   * @param from - the old status, `undefined` for a new entry
   * @param to - the new status, `undefined` for a deleted entry
   * @param bytes - the entry's size
   * @param toBytes - its size after the move, when that changed (an amended event) @default bytes
   */
  move(from: EntryStatus | undefined, to: EntryStatus | undefined, bytes: number, toBytes = bytes): void {
    if (from === to && bytes === toBytes) return;
    if (from !== undefined) {
      this[from] -= 1;
      if (isOpenStatus(from)) this.backlogBytes -= bytes;
    }
    if (to !== undefined) {
      this[to] += 1;
      if (isOpenStatus(to)) this.backlogBytes += toBytes;
    }
  }

  /** Whether nothing changed. */
  get isZero(): boolean {
    return (
      this.pending === 0 &&
      this.leased === 0 &&
      this.delivered === 0 &&
      this.dead === 0 &&
      this.evicted === 0 &&
      this.backlogBytes === 0
    );
  }

  /** The six changes in the order the stores' statements take them: pending, leased, delivered, dead, evicted, bytes. */
  values(): [number, number, number, number, number, number] {
    return [this.pending, this.leased, this.delivered, this.dead, this.evicted, this.backlogBytes];
  }
}
