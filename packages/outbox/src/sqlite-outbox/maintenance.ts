import { CounterDelta, decideRequeue, decodeEvent, fold } from '@hubline/core/store';
import type { EntryRecord } from '../storage/cold-queries.js';
import { recordToState } from '../storage/projection.js';
import { CHUNK } from './chunk.js';

import type { OutboxConnection } from './connection.js';

/*
 * The operations a person or a timer runs now and then, off the delivery path: requeue, prune and rebuild.
 * They go through drizzle's typed queries (`ColdQueries`).
 */

/**
 * Puts dead letters back to pending with a fresh attempt budget, in one transaction.
 *
 * @param connection - the outbox's connection
 * @param ids - the dead letters, or every one
 * @returns how many were requeued (ids that are not dead letters are skipped)
 */
export function requeueDead(connection: OutboxConnection, ids: readonly string[] | 'all-dead'): number {
  const { cold } = connection;
  return connection.write('requeue', () => {
    const at = connection.observeClock();
    const delta = new CounterDelta();
    let count = 0;
    const requeueRow = (record: EntryRecord | undefined) => {
      if (record === undefined || record.status !== 'dead') return;
      const before = recordToState(record);
      const events = decideRequeue(before, at);
      const state = connection.append(record.rk, record.version, before, events);
      connection.writeProjection(record.rk, record.version + events.length, state);
      delta.move(before.status, state.status, record.bytes);
      count += 1;
    };
    if (ids === 'all-dead') {
      // Walk the dead-letter index a chunk at a time: memory stays flat however many there are.
      for (let after = 0; ; ) {
        const records = cold.deadAfter(after, CHUNK);
        records.forEach(requeueRow);
        if (records.length < CHUNK) break;
        after = records.at(-1)!.rk;
      }
    } else {
      for (const id of ids) requeueRow(cold.entryById(id));
    }
    connection.addCounters(delta);
    return count;
  });
}

/**
 * Deletes delivered and evicted entries last updated before `now - olderThanMs`, a transaction per chunk.
 *
 * @param connection - the outbox's connection
 * @param olderThanMs - the retention, checked already
 * @returns how many entries were deleted
 */
export function pruneFinished(connection: OutboxConnection, olderThanMs: number): number {
  const { cold, options } = connection;
  let cutoff: number | undefined;
  let pruned = 0;
  let after = 0;
  // One pass in rowid order, a chunk per transaction: other writers get the lock between chunks.
  for (;;) {
    const { done, last, count } = connection.write('prune', () => {
      const now = connection.observeClock();
      cutoff ??= now - olderThanMs;
      const rows = cold.pruneCandidatesAfter(after, CHUNK);
      // The newest row carries the running totals of everything recorded: it stays.
      const newestRk = cold.newestRk();
      const delta = new CounterDelta();
      let removed = 0;
      for (const row of rows) {
        const finished = row.status === 'delivered' || row.status === 'evicted';
        if (finished && row.updatedAt < cutoff && row.rk !== newestRk) {
          cold.deleteEntry(row.rk);
          delta.move(row.status, undefined, 0);
          removed += 1;
        }
      }
      connection.addCounters(delta);
      return { done: rows.length < CHUNK, last: rows.at(-1)?.rk ?? after, count: removed };
    });
    pruned += count;
    after = last;
    if (done) break;
  }
  if (pruned > 0) options.logger.info('pruned delivered entries', { pruned, olderThanMs });
  return pruned;
}

/**
 * Recomputes every projection, and the counters, from the lifecycle log, in one transaction (see
 * `Outbox.rebuildProjection` for why it is not chunked).
 *
 * @param connection - the outbox's connection
 */
export function rebuildProjections(connection: OutboxConnection): void {
  const { cold } = connection;
  connection.write('rebuildProjection', () => {
    let after = 0;
    for (;;) {
      const rks = cold.rksAfter(after, CHUNK);
      for (const rk of rks) {
        const events = cold.logOf(rk).map((record) => decodeEvent(record.type, record.at, record.data));
        connection.writeProjection(rk, events.length, fold(events));
      }
      if (rks.length < CHUNK) break;
      after = rks.at(-1)!;
    }
    cold.recountCounters();
  });
}
