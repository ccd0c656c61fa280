import { IdConflictError, type TimelineEvent } from '@hubline/core';
import {
  backlogAtOf,
  decideRecord,
  dueAtOf,
  type Eviction,
  fold,
  hasOwnTimestamp,
  type PreparedEvent,
  sameEventContent,
} from '@hubline/core/store';
import { Counts } from '../storage/counts.js';
import { enforceCapacity } from './capacity.js';
import type { OutboxConnection } from './connection.js';
import { pushLog } from './log-rows.js';

/**
 * Inserts each prepared event with its `Recorded`, then applies the size cap. Runs inside the caller's
 * transaction: a conflict or a capacity refusal throws and rolls every insert back.
 *
 * @param connection - the outbox's connection
 * @param prepared - the events, validated
 * @param at - record time
 * @param evictions - receives the entries evicted to make room
 * @returns how many entries were new
 * @throws {@link IdConflictError} for an id already recorded with different content or in another account
 */
export function insertEvents(
  connection: OutboxConnection,
  prepared: readonly PreparedEvent[],
  at: number,
  evictions: Eviction[],
): number {
  const { sql } = connection;
  const delta = new Counts();
  let inserted = 0;
  let firstNewRk = Number.POSITIVE_INFINITY;
  // Recorded entries are counted in the running totals each new row carries, not in `counters`; their account's
  // row counts them. The totals are read once: nothing else inserts while this write transaction holds the lock.
  const newest = sql.newestTotals.get() as [number, number] | undefined;
  let totalCount = newest?.[0] ?? 0;
  let totalBytes = newest?.[1] ?? 0;
  // Every `Recorded` row goes in by the multi-row statement at the end.
  const log: unknown[] = [];
  for (const entry of prepared) {
    const events = decideRecord(undefined, at, entry.bytes);
    const state = fold(events);
    const result = sql.insertEntry.run(
      entry.event.id,
      entry.json,
      entry.bytes,
      state.status,
      state.attempts,
      state.recordedAt,
      state.nextAttemptAt,
      state.leaseOwner,
      state.leaseUntil,
      state.lastError,
      state.updatedAt,
      events.length,
      dueAtOf(state),
      backlogAtOf(state),
      entry.account,
      totalCount + 1,
      totalBytes + entry.bytes,
    );
    if (result.changes === 0) {
      assertSameEvent(connection, entry);
      continue;
    }
    totalCount += 1;
    totalBytes += entry.bytes;
    const rk = Number(result.lastInsertRowid);
    firstNewRk = Math.min(firstNewRk, rk);
    pushLog(log, rk, 0, events);
    delta.recorded(entry.account, undefined, state.status, entry.bytes);
    inserted += 1;
  }
  sql.insertEvents.run(log);
  if (inserted > 0) enforceCapacity(connection, delta, at, firstNewRk, evictions);
  connection.addCounters(delta);
  return inserted;
}

/**
 * Checks an event whose id is stored already against the stored one: the same content in the same account is
 * recording it again (nothing to do); anything else is a conflict.
 *
 * @param connection - the outbox's connection
 * @param entry - the event recorded again
 * @throws {@link IdConflictError} for different content or another account
 */
function assertSameEvent(connection: OutboxConnection, entry: PreparedEvent): void {
  const stored = connection.sql.selectEventById.get(entry.event.id) as { event: string; account: string };
  const ignoreTimestamp = !hasOwnTimestamp(entry.input);
  const same =
    stored.account === entry.account &&
    sameEventContent(JSON.parse(stored.event) as TimelineEvent, entry.event, { ignoreTimestamp });
  if (!same) throw new IdConflictError(entry.event.id);
}
