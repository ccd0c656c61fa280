import type { EntryState, EntryStatus } from '@hubline/core/store';
import type { EntryRecord } from './cold-queries.js';

/** An `entries` row without its event JSON: what settling needs. */
export interface EntryStateRow {
  /** The row key (record order). */
  readonly rk: number;
  /** The entry's id. */
  readonly id: string;
  /** UTF-8 size of the event's JSON. */
  readonly bytes: number;
  /** Where the entry stands. */
  readonly status: EntryStatus;
  /** Attempts used. */
  readonly attempts: number;
  /** Record time, epoch ms. */
  readonly recorded_at: number;
  /** Earliest time of the next attempt, epoch ms. */
  readonly next_attempt_at: number;
  /** Who holds the lease, while leased. */
  readonly lease_owner: string | null;
  /** When the lease runs out, while leased. */
  readonly lease_until: number | null;
  /** The last failure or dead-letter reason. */
  readonly last_error: string | null;
  /** The time of the last lifecycle event, epoch ms. */
  readonly updated_at: number;
  /** Number of lifecycle events. */
  readonly version: number;
  /** 1 or 0: SQLite has no booleans. */
  readonly in_doubt: number;
  /** The account the entry belongs to. */
  readonly account: string;
}

/** An `entries` row as the hot-path statements return it (snake_case columns). */
export interface EntryRow extends EntryStateRow {
  /** The normalised event's stored JSON. */
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
  account: string,
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
    account: tuple[13],
    event: tuple[14] ?? '',
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
