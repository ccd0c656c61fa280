import { IdConflictError, type TimelineEvent } from '@hubline/core';
import {
  backlogAtOf,
  decideRecord,
  dueAtOf,
  type Eviction,
  encodeEventData,
  fold,
  hasOwnTimestamp,
  type PreparedEvent,
  sameEventContent,
} from '@hubline/core/store';
import { Counts } from '../storage/counts.js';
import { enforceCapacity } from './capacity.js';
import type { OutboxConnection } from './connection.js';

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
  // Recorded entries are counted in the running totals each new row carries (`insertEntry` adds them up),
  // not in `counters`; their account's row counts them.
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
      entry.bytes,
    );
    if (result.changes === 0) {
      const stored = sql.selectEventById.get(entry.event.id) as { event: string; account: string };
      const ignoreTimestamp = !hasOwnTimestamp(entry.input);
      const same =
        stored.account === entry.account &&
        sameEventContent(JSON.parse(stored.event) as TimelineEvent, entry.event, { ignoreTimestamp });
      if (!same) throw new IdConflictError(entry.event.id);
      continue;
    }
    const rk = Number(result.lastInsertRowid);
    firstNewRk = Math.min(firstNewRk, rk);
    events.forEach((event, index) => {
      sql.insertEvent.run(rk, index + 1, event.type, event.at, encodeEventData(event));
    });
    delta.recorded(entry.account, undefined, state.status, entry.bytes);
    inserted += 1;
  }
  if (inserted > 0) enforceCapacity(connection, delta, at, firstNewRk, evictions);
  connection.addCounters(delta);
  return inserted;
}
