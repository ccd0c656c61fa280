import type { EntryState, EntryStatus } from '@hubline/core';
import type { EntryRecord } from './cold-queries.js';

/** An `entries` row without its event JSON: what settling needs. */
export interface EntryStateRow {
  readonly rk: number;
  readonly id: string;
  readonly bytes: number;
  readonly status: EntryStatus;
  readonly attempts: number;
  readonly recorded_at: number;
  readonly next_attempt_at: number;
  readonly lease_owner: string | null;
  readonly lease_until: number | null;
  readonly last_error: string | null;
  readonly updated_at: number;
  readonly version: number;
  /** 1 or 0: SQLite has no booleans. */
  readonly in_doubt: number;
}

/** An `entries` row as the hot-path statements return it (snake_case columns). */
export interface EntryRow extends EntryStateRow {
  readonly event: string;
}

/**
 * A row as the hot reads return it, an array in the order of `TUPLE_COLUMNS` (in `statements.ts`), with the
 * event JSON last when the query selects it.
 */
export type EntryTuple = readonly [
  rk: number,
  id: string,
  bytes: number,
  status: EntryStatus,
  attempts: number,
  recordedAt: number,
  nextAttemptAt: number,
  leaseOwner: string | null,
  leaseUntil: number | null,
  lastError: string | null,
  updatedAt: number,
  version: number,
  inDoubt: number,
  event?: string,
];

/** The keyed row of an {@link EntryTuple} (`event` is `''` when the query did not select it). */
export function rowOfTuple(tuple: EntryTuple): EntryRow {
  return {
    rk: tuple[0],
    id: tuple[1],
    bytes: tuple[2],
    status: tuple[3],
    attempts: tuple[4],
    recorded_at: tuple[5],
    next_attempt_at: tuple[6],
    lease_owner: tuple[7],
    lease_until: tuple[8],
    last_error: tuple[9],
    updated_at: tuple[10],
    version: tuple[11],
    in_doubt: tuple[12],
    event: tuple[13] ?? '',
  };
}

/** The projection stored in a row, as core's {@link EntryState}. */
export function rowToState(row: EntryStateRow): EntryState {
  return {
    status: row.status,
    attempts: row.attempts,
    recordedAt: row.recorded_at,
    bytes: row.bytes,
    nextAttemptAt: row.next_attempt_at,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    lastError: row.last_error,
    updatedAt: row.updated_at,
    inDoubt: row.in_doubt === 1,
  };
}

/** The projection of an entry as drizzle reads it (see `cold-queries.ts`), as core's {@link EntryState}. */
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

/** Whether an entry with this status still waits for delivery (counts against the size cap and backlog). */
function isOpenStatus(status: EntryStatus): boolean {
  return status === 'pending' || status === 'leased';
}

/** The indexed `due_at` of a state: when it may next be claimed, `null` once it never will be. */
export function dueAtOf(state: EntryState): number | null {
  if (state.status === 'pending') return state.nextAttemptAt;
  if (state.status === 'leased') return state.leaseUntil;
  return null;
}

/** The indexed `backlog_at` of a state: its record time while undelivered, else `null`. */
export function backlogAtOf(state: EntryState): number | null {
  return isOpenStatus(state.status) ? state.recordedAt : null;
}

/** Changes to the `counters` row accumulated during one transaction and written once at its end. */
export class CounterDelta {
  pending = 0;
  leased = 0;
  delivered = 0;
  dead = 0;
  evicted = 0;
  backlogBytes = 0;

  /**
   * Accounts for one entry moving between statuses.
   *
   * @param from - the old status (`undefined` for a new entry; recording counts in the entries' running totals
   *   instead, see `total_count` in the schema)
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
}
