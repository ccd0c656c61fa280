import type { EntryState, EntryStatus } from '@hubline/core';

/** An `entries` row as the store reads it: the event JSON and its projection, keyed as drizzle keys them. */
export interface EntryRecord {
  /** Record order. */
  readonly rk: number;
  /** The entry's id. */
  readonly id: string;
  /** The event JSON as stored. */
  readonly event: string;
  /** UTF-8 size of `event`. */
  readonly bytes: number;
  /** See {@link EntryState}. */
  readonly status: EntryStatus;
  /** See {@link EntryState}. */
  readonly attempts: number;
  /** See {@link EntryState}. */
  readonly recordedAt: number;
  /** See {@link EntryState}. */
  readonly nextAttemptAt: number;
  /** See {@link EntryState}. */
  readonly leaseOwner: string | null;
  /** See {@link EntryState}. */
  readonly leaseUntil: number | null;
  /** See {@link EntryState}. */
  readonly lastError: string | null;
  /** See {@link EntryState}. */
  readonly updatedAt: number;
  /** Number of lifecycle events; the next one's `seq` is `version + 1`. */
  readonly version: number;
  /** See {@link EntryState}. */
  readonly inDoubt: boolean;
}

/**
 * The projection stored in a row, as core's {@link EntryState}.
 *
 * @param record - the row
 */
export function recordToState(record: EntryRecord): EntryState {
  return {
    status: record.status,
    attempts: record.attempts,
    recordedAt: record.recordedAt,
    bytes: record.bytes,
    nextAttemptAt: record.nextAttemptAt,
    leaseOwner: record.leaseOwner,
    leaseUntil: record.leaseUntil,
    lastError: record.lastError,
    updatedAt: record.updatedAt,
    inDoubt: record.inDoubt,
  };
}

/**
 * Whether an entry with this status still waits for delivery (counts against the size cap and the backlog).
 *
 * @param status - the entry's status
 */
export function isOpenStatus(status: EntryStatus): boolean {
  return status === 'pending' || status === 'leased';
}

/**
 * The indexed `due_at` of a state: when it may next be claimed, `null` once it never will be.
 *
 * @param state - the entry's state
 */
export function dueAtOf(state: EntryState): number | null {
  if (state.status === 'pending') return state.nextAttemptAt;
  if (state.status === 'leased') return state.leaseUntil;
  return null;
}

/**
 * The indexed `backlog_at` of a state: its record time while undelivered, else `null`.
 *
 * @param state - the entry's state
 */
export function backlogAtOf(state: EntryState): number | null {
  return isOpenStatus(state.status) ? state.recordedAt : null;
}

/** Changes to the counters accumulated during one transaction and added to its shard once, at its end. */
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
   */
  move(from: EntryStatus | undefined, to: EntryStatus | undefined, bytes: number): void {
    if (from === to) return;
    if (from !== undefined) {
      this[from] -= 1;
      if (isOpenStatus(from)) this.backlogBytes -= bytes;
    }
    if (to !== undefined) {
      this[to] += 1;
      if (isOpenStatus(to)) this.backlogBytes += bytes;
    }
  }

  /** The six deltas in the order the statements take them. */
  values(): number[] {
    return [this.pending, this.leased, this.delivered, this.dead, this.evicted, this.backlogBytes];
  }
}
