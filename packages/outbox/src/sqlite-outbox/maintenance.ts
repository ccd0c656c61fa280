import type { TimelineEvent } from '@hubline/core';
import {
  type Amendment,
  decideEvict,
  decideRequeue,
  decodeEvent,
  fold,
  prepareAmendment,
  type RequeueOptions,
  type RequeueTarget,
} from '@hubline/core/store';
import type { ColdQueries, DeadFilter, EntryRecord } from '../storage/cold-queries.js';
import { Counts } from '../storage/counts.js';
import { type EntryTuple, recordToState, rowOfTuple, rowToState } from '../storage/projection.js';
import { CHUNK } from './chunk.js';

import type { OutboxConnection } from './connection.js';

/*
 * The operations a person or a timer runs now and then, off the delivery path: requeue, discard, prune and
 * rebuild.
 * They go through drizzle's typed queries (`ColdQueries`).
 */

/**
 * Puts dead letters back to pending with a fresh attempt budget, in one transaction; with `options.amend`, the
 * one dead letter named is amended first (validated before anything is written).
 *
 * @param connection - the outbox's connection
 * @param target - the dead letters: ids, every one, or an account's and/or a category's (checked already)
 * @param options - `amend` and `by` (checked already, but for the patch)
 * @returns how many were requeued (ids that are not dead letters are skipped)
 */
export function requeueDead(
  connection: OutboxConnection,
  target: RequeueTarget,
  options: RequeueOptions,
): number {
  return connection.write('requeue', () => {
    const at = connection.observeClock();
    const delta = new Counts();
    let count = 0;
    forEachDead(connection.cold, target, (record) => {
      requeueRecord(connection, record, at, options, delta);
      count += 1;
    });
    connection.addCounters(delta);
    return count;
  });
}

/** Calls `requeue` with each dead letter `target` names, in record order. */
function forEachDead(cold: ColdQueries, target: RequeueTarget, requeue: (record: EntryRecord) => void): void {
  if (Array.isArray(target)) {
    for (const id of target) {
      const record = cold.entryById(id);
      if (record?.status === 'dead') requeue(record);
    }
    return;
  }
  const filter = target === 'all-dead' ? {} : (target as DeadFilter);
  // Walk the dead-letter index a chunk at a time: memory stays flat however many there are.
  for (let after = 0; ; ) {
    const records = cold.deadMatchingAfter(after, CHUNK, filter);
    records.forEach(requeue);
    if (records.length < CHUNK) break;
    after = records.at(-1)!.rk;
  }
}

/** Requeues one dead letter, amending its event first when `options.amend` is given. */
function requeueRecord(
  connection: OutboxConnection,
  record: EntryRecord,
  at: number,
  options: RequeueOptions,
  delta: Counts,
): void {
  const before = recordToState(record);
  let amendment: Amendment | undefined;
  if (options.amend !== undefined) {
    const previous = JSON.parse(record.event) as TimelineEvent;
    const { maxEventBytes, templates } = connection.options;
    const amended = prepareAmendment(previous, options.amend, { now: at, maxEventBytes, templates });
    connection.cold.replaceEvent(record.rk, amended.json, amended.bytes);
    amendment = { previous, bytes: amended.bytes };
  }
  const events = decideRequeue(before, at, options.by, amendment);
  const state = connection.append(record.rk, record.version, before, events);
  connection.writeProjection(record.rk, record.version + events.length, state);
  delta.move(record.account, before.status, state.status, record.bytes, amendment?.bytes ?? record.bytes);
}

/**
 * Evicts an account's pending entries and dead letters (and leased ones whose lease ran out), in one transaction.
 *
 * @param connection - the outbox's connection
 * @param account - the account (checked already)
 * @param reason - kept in each `Evicted` event
 * @returns how many were evicted
 */
export function discardAccount(connection: OutboxConnection, account: string, reason: string): number {
  const { cold, sql } = connection;
  return connection.write('discard', () => {
    const at = connection.observeClock();
    const delta = new Counts();
    let evicted = 0;
    for (let after = 0; ; ) {
      const rks = cold.discardCandidatesAfter(account, after, CHUNK);
      for (const tuple of sql.selectStatesByRks.all<EntryTuple>(rks)) {
        const row = rowOfTuple(tuple);
        const before = rowToState(row);
        if (before.status === 'leased' && !(before.leaseUntil !== null && at >= before.leaseUntil)) continue;
        const events = decideEvict(before, at, reason);
        const state = connection.append(row.rk, row.version, before, events);
        connection.writeProjection(row.rk, row.version + events.length, state);
        delta.move(account, before.status, state.status, row.bytes);
        evicted += 1;
      }
      if (rks.length < CHUNK) break;
      after = rks.at(-1)!;
    }
    connection.addCounters(delta);
    return evicted;
  });
}

/**
 * Deletes delivered and evicted entries last updated before `now - olderThanMs`, and dead letters dead since
 * before `now - deadOlderThanMs` when it is given, a transaction per chunk.
 *
 * @param connection - the outbox's connection
 * @param olderThanMs - the retention, checked already
 * @param deadOlderThanMs - the dead letters' retention, if they age out
 * @returns how many entries were deleted
 */
export function pruneFinished(
  connection: OutboxConnection,
  olderThanMs: number,
  deadOlderThanMs: number | undefined,
): number {
  let cutoffs: Cutoffs | undefined;
  let pruned = 0;
  let after = 0;
  // One pass in rowid order, a chunk per transaction: other writers get the lock between chunks.
  for (;;) {
    const { done, last, count } = connection.write('prune', () => {
      const now = connection.observeClock();
      cutoffs ??= {
        finished: now - olderThanMs,
        dead: deadOlderThanMs === undefined ? Number.NEGATIVE_INFINITY : now - deadOlderThanMs,
      };
      return pruneChunk(connection, after, cutoffs);
    });
    pruned += count;
    after = last;
    if (done) break;
  }
  if (pruned > 0) connection.options.logger.info('pruned delivered entries', { pruned, olderThanMs });
  return pruned;
}

/** What `prune` deletes: finished entries updated before `finished`, dead letters dead since before `dead`. */
interface Cutoffs {
  readonly finished: number;
  readonly dead: number;
}

/** One chunk of `prune`, inside its transaction. */
function pruneChunk(
  connection: OutboxConnection,
  after: number,
  cutoffs: Cutoffs,
): { done: boolean; last: number; count: number } {
  const { cold } = connection;
  const rows = cold.pruneCandidatesAfter(after, CHUNK);
  // The newest row carries the running totals of everything recorded: it stays.
  const newestRk = cold.newestRk();
  const delta = new Counts();
  let removed = 0;
  for (const row of rows) {
    const finished = row.status === 'delivered' || row.status === 'evicted';
    const agedOut =
      (finished && row.updatedAt < cutoffs.finished) ||
      (row.status === 'dead' && row.updatedAt < cutoffs.dead);
    if (agedOut && row.rk !== newestRk) {
      cold.deleteEntry(row.rk);
      delta.move(row.account, row.status, undefined, 0);
      removed += 1;
    }
  }
  connection.addCounters(delta);
  return { done: rows.length < CHUNK, last: rows.at(-1)?.rk ?? after, count: removed };
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
