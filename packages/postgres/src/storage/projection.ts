import type { TimelineEvent } from '@hubline/core';
import type { EntryState, EntryStatus, StoredEntry } from '@hubline/core/store';

/** An `entries` row as the store reads it: the event JSON and its projection, keyed as drizzle keys them. */
export interface EntryRecord {
  /** Record order. */
  readonly rk: number;
  /** The HubSpot account the entry belongs to. */
  readonly account: string;
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
  /** The dead letter's category while the entry is dead, else `null`. */
  readonly category: string | null;
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

/** An entry as `get` and `listDead` return it. */
export function toStored(record: EntryRecord): StoredEntry {
  return {
    id: record.id,
    account: record.account,
    event: JSON.parse(record.event) as TimelineEvent,
    ...recordToState(record),
  };
}
