import type { TimelineEvent } from '@hubline/core';
import {
  CounterDelta,
  type DiscardOptions,
  decideEvict,
  decideRequeue,
  type Eviction,
  PRUNE_DEFAULTS,
  type PreparedAmendment,
  type PruneOptions,
  prepareAmendment,
  type RequeueOptions,
  type RequeueTarget,
} from '@hubline/core/store';
import type { StoreClock } from '../clock/store-clock.js';
import { CHUNK } from '../storage/chunk.js';
import type { DeadFilter } from '../storage/cold-queries.js';
import { counterColumns, OutcomeBatch } from '../storage/outcome-batch.js';
import type { EntryRecord } from '../storage/projection.js';
import type { StoreContext, StoreTransaction } from '../storage/store-context.js';

/*
 * The operations a person or a timer runs now and then, off the delivery path: requeue, discard and prune. The
 * store checks their arguments and hands them here; each runs in transactions of the store's clock, a chunk of
 * entries at a time.
 */

/** Why `discard` evicts, unless the caller says. */
const DISCARD_REASON = 'account discarded';

/**
 * Puts dead letters back to pending (see `PostgresOutbox.requeue`), in one transaction.
 *
 * @param context - the store's context
 * @param clock - the store's clock
 * @param target - ids, `'all-dead'`, or a filter, checked already
 * @param options - amendment and who asked, checked already
 * @returns how many were requeued
 */
export function requeue(
  context: StoreContext,
  clock: StoreClock,
  target: RequeueTarget,
  options: RequeueOptions,
): Promise<number> {
  const filter: DeadFilter = target === 'all-dead' ? {} : isIdList(target) ? { ids: target } : target;
  const { maxEventBytes, templates } = context.options;
  const { amend, by } = options;
  return clock.transaction('requeue', (tx, at) =>
    requeueDead(context, tx, filter, {
      at,
      by,
      amend:
        amend === undefined
          ? undefined
          : (previous) => prepareAmendment(previous, amend, { now: at, maxEventBytes, templates }),
    }),
  );
}

/**
 * Evicts an account's pending entries and dead letters (see `PostgresOutbox.discard`), a transaction per chunk.
 *
 * @param context - the store's context
 * @param clock - the store's clock
 * @param options - account and reason, checked already
 * @param evicted - told of each eviction as its chunk commits
 * @returns how many entries were evicted
 */
export async function discard(
  context: StoreContext,
  clock: StoreClock,
  options: DiscardOptions,
  evicted: (eviction: Eviction) => void,
): Promise<number> {
  const { account, reason = DISCARD_REASON } = options;
  let discarded = 0;
  for (let after = 0; ; ) {
    const records = await clock.transaction('discard', (tx, at) =>
      discardChunk(context, tx, account, after, at, reason),
    );
    discarded += records.length;
    for (const record of records) evicted({ id: record.id, reason });
    if (records.length < CHUNK) break;
    after = records.at(-1)!.rk;
  }
  if (discarded > 0) context.options.logger.info('discarded an account', { account, discarded });
  return discarded;
}

/**
 * Deletes the entries that aged out, with their logs (see `PostgresOutbox.prune`): account by account, a
 * transaction per chunk, so that the engines are never held up for long.
 *
 * @param context - the store's context
 * @param clock - the store's clock
 * @param options - ages, checked already
 * @returns how many entries were deleted
 */
export async function prune(
  context: StoreContext,
  clock: StoreClock,
  options: PruneOptions,
): Promise<number> {
  const { olderThanMs = PRUNE_DEFAULTS.olderThanMs, deadOlderThanMs } = options;
  const { cold, db } = context;
  let accounts: string[];
  try {
    accounts = await cold.accounts(db);
  } catch (error) {
    throw context.failure(error, 'prune');
  }
  const now = await clock.read('prune');
  let pruned = 0;
  for (const account of accounts) {
    pruned += await pruneAccount(context, clock, account, 'finished', now - olderThanMs);
    if (deadOlderThanMs !== undefined)
      pruned += await pruneAccount(context, clock, account, 'dead', now - deadOlderThanMs);
  }
  if (pruned > 0) {
    context.options.logger.info('pruned finished entries', { pruned, olderThanMs, deadOlderThanMs });
  }
  return pruned;
}

/** Deletes an account's entries in `statuses` last updated before `cutoff`, a transaction per chunk. */
async function pruneAccount(
  context: StoreContext,
  clock: StoreClock,
  account: string,
  statuses: 'finished' | 'dead',
  cutoff: number,
): Promise<number> {
  let pruned = 0;
  for (;;) {
    const removed = await clock.transaction('prune', (tx) =>
      pruneChunk(context, tx, account, statuses, cutoff),
    );
    pruned += removed;
    if (removed < CHUNK) return pruned;
  }
}

/** Whether a requeue target is a list of ids (rather than `'all-dead'` or a filter). */
function isIdList(target: RequeueTarget): target is readonly string[] {
  return Array.isArray(target);
}

/** How a requeue goes: when, by whom, and the amendment of its one dead letter. */
interface RequeueSettings {
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
async function requeueDead(
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
async function discardChunk(
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
async function pruneChunk(
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
