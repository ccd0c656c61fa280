import type { TimelineEvent } from '@hubline/core';
import {
  backlogAtOf,
  dueAtOf,
  type EntryState,
  encodeEventData,
  evolve,
  type LifecycleEvent,
  type StoredEntry,
} from '@hubline/core/store';
import type { EntryRecord } from '../storage/cold-queries.js';
import { type EntryRow, recordToState, rowToState } from '../storage/projection.js';

/*
 * The rows the multi-row statements bind, built as flat arrays in place: these run for every event of every
 * batch, so nothing here allocates more than the values themselves.
 */

/**
 * Queues `events` for an entry's log (rk, seq, type, at, data per row, for `insertEvents`) and returns the
 * state they lead to, through core's `evolve`.
 *
 * @param log - the rows queued so far
 * @param rk - the entry's row key
 * @param version - the entry's version before these events
 * @param before - the entry's state before these events
 * @param events - what to append
 */
export function appendTo(
  log: unknown[],
  rk: number,
  version: number,
  before: EntryState,
  events: readonly LifecycleEvent[],
): EntryState {
  pushLog(log, rk, version, events);
  return events.reduce<EntryState>(evolve, before);
}

/**
 * Queues `events` for an entry's log: rk, seq, type, at, data per row, for `insertEvents`.
 *
 * @param log - the rows queued so far
 * @param rk - the entry's row key
 * @param version - the entry's version before these events
 * @param events - what to append
 */
export function pushLog(
  log: unknown[],
  rk: number,
  version: number,
  events: readonly LifecycleEvent[],
): void {
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    log.push(rk, version + index + 1, event.type, event.at, encodeEventData(event));
  }
}

/**
 * Appends the projection columns of an entry to `out`, in the order the projection statements bind them (after
 * `rk` in bulk). Pushed in place rather than returned, since it runs for every settled event.
 *
 * @param out - the values bound so far
 * @param state - the entry's new state
 * @param version - the entry's new version
 */
export function pushProjection(out: unknown[], state: EntryState, version: number): void {
  out.push(
    state.status,
    state.attempts,
    state.nextAttemptAt,
    state.leaseOwner,
    state.leaseUntil,
    state.lastError,
    state.updatedAt,
    version,
    dueAtOf(state),
    backlogAtOf(state),
    state.inDoubt ? 1 : 0,
  );
}

/**
 * An entry as `get` returns it, from a hot-path row.
 *
 * @param row - the row, with its event JSON
 */
export function toEntry(row: EntryRow): StoredEntry {
  return {
    id: row.id,
    account: row.account,
    event: JSON.parse(row.event) as TimelineEvent,
    ...rowToState(row),
  };
}

/**
 * An entry as `listDead` returns it, from a row drizzle read.
 *
 * @param record - the row
 */
export function recordToEntry(record: EntryRecord): StoredEntry {
  return {
    id: record.id,
    account: record.account,
    event: JSON.parse(record.event) as TimelineEvent,
    ...recordToState(record),
  };
}
