import type { TimelineEvent } from '@hubline/core';
import { CounterDelta, decideEvict, decideRequeue, type PreparedAmendment } from '@hubline/core/store';
import { CHUNK } from '../storage/chunk.js';
import type { DeadFilter } from '../storage/cold-queries.js';
import { counterColumns, OutcomeBatch } from '../storage/outcome-batch.js';
import type { EntryRecord } from '../storage/projection.js';
import type { StoreContext, StoreTransaction } from '../storage/store-context.js';

/*
 * The operations a person or a timer runs now and then, off the delivery path: requeue, discard and prune.
 */

/** How a requeue goes: when, by whom, and the amendment of its one dead letter. */
export interface RequeueSettings {
  /** The time. */
  readonly at: number;
  /** Who asked, kept in the history. */
  readonly by: string | undefined;
  /** Patches and validates a dead letter's event (core's `prepareAmendment` with the caller's `amend`). */
  readonly amend: ((previous: TimelineEvent) => PreparedAmendment) | undefined;
}

/**
 * Puts the dead letters matching `filter` back to pending with a fresh attempt budget (core's `decideRequeue`,
 * with an `Amended` event first when `settings.amend` changes the event), a chunk at a time, each written before
 * the next is read (memory stays flat however many there are), and wakes the engines when the transaction
 * commits.
 *
 * @param context - the store's context
 * @param tx - the transaction
 * @param filter - ids, account, category: which dead letters
 * @param settings - time, who asked, amendment
 * @returns how many were requeued (ids that are not dead letters are skipped)
 * @throws `ValidationError` naming `amend.<field>` when the amended event is not valid; nothing is written
 */
export async function requeueDead(
  context: StoreContext,
  { runner, db }: StoreTransaction,
  filter: DeadFilter,
  settings: RequeueSettings,
): Promise<number> {
  const { at, by, amend } = settings;
  const { sql, cold } = context;
  if (filter.ids?.length === 0) return 0;
  let count = 0;
  for (let after = 0; ; ) {
    const records = await cold.deadAfter(db, filter, after, CHUNK, true);
    const batch = new OutcomeBatch();
    for (const record of records) {
      const entry = OutcomeBatch.track(record);
      if (amend === undefined) {
        batch.append(entry, decideRequeue(entry.state, at, by));
        continue;
      }
      const previous = JSON.parse(record.event) as TimelineEvent;
      const amended = amend(previous);
      batch.append(
        entry,
        decideRequeue(entry.state, at, by, { previous, bytes: amended.bytes }),
        amended.json,
      );
    }
    await batch.write(runner, sql);
    count += records.length;
    if (records.length < CHUNK) break;
    after = records.at(-1)!.rk;
  }
  if (count > 0) await runner.rows(sql.notify, [context.channel, `${context.instanceId}:${count}`]);
  return count;
}

/**
 * Evicts an account's pending entries and dead letters (an uninstalled app's events), a chunk per call, skipping
 * the entries a claim holds (those in flight stay with their engine).
 *
 * @param context - the store's context
 * @param tx - the chunk's transaction
 * @param account - the account
 * @param after - the last row key of the previous chunk (0 for the first)
 * @param at - the time
 * @param reason - kept in each `Evicted` event
 * @returns the evicted entries' row keys: fewer than {@link CHUNK} when none are left
 */
export async function discardChunk(
  context: StoreContext,
  { runner, db }: StoreTransaction,
  account: string,
  after: number,
  at: number,
  reason: string,
): Promise<readonly EntryRecord[]> {
  const records = await context.cold.lockDiscardable(db, account, after, CHUNK);
  const batch = new OutcomeBatch();
  for (const record of records) {
    const entry = OutcomeBatch.track(record);
    batch.append(entry, decideEvict(entry.state, at, reason));
  }
  await batch.write(runner, context.sql);
  return records;
}

/**
 * Deletes one chunk of an account's entries that aged out, with their logs: delivered and evicted ones (or dead
 * letters) last updated before `cutoff`. The caller runs a transaction per chunk, so that the engines are never
 * held up for long.
 *
 * @param context - the store's context
 * @param tx - the chunk's transaction
 * @param account - the account
 * @param statuses - `'finished'` (delivered and evicted) or `'dead'`
 * @param cutoff - epoch ms
 * @returns how many entries were deleted: fewer than {@link CHUNK} when none are left
 */
export async function pruneChunk(
  context: StoreContext,
  { runner, db }: StoreTransaction,
  account: string,
  statuses: 'finished' | 'dead',
  cutoff: number,
): Promise<number> {
  const { sql, cold } = context;
  const rows = await cold.lockAgedOut(db, account, statuses, cutoff, CHUNK);
  if (rows.length === 0) return 0;
  await cold.deleteEntries(
    db,
    rows.map((row) => row.rk),
  );
  const delta = new CounterDelta();
  for (const row of rows) delta.move(row.status, undefined, 0);
  await runner.rows(sql.addCounters, counterColumns(new Map([[account, delta]])));
  return rows.length;
}
