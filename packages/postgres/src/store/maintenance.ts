import { CounterDelta, decideRequeue } from '@hubline/core/store';
import { CHUNK } from '../storage/chunk.js';
import { OutcomeBatch } from '../storage/outcome-batch.js';
import type { EntryRecord } from '../storage/projection.js';
import type { StoreContext, StoreTransaction } from '../storage/store-context.js';

/*
 * The operations a person or a timer runs now and then, off the delivery path: requeue and prune.
 */

/**
 * Puts dead letters back to pending with a fresh attempt budget (core's `decideRequeue`), and wakes the engines
 * when the transaction commits.
 *
 * @param context - the store's context
 * @param tx - the transaction
 * @param ids - the dead letters, or every one
 * @param at - the time
 * @returns how many were requeued (ids that are not dead letters are skipped)
 */
export async function requeueDead(
  context: StoreContext,
  { runner, db }: StoreTransaction,
  ids: readonly string[] | 'all-dead',
  at: number,
): Promise<number> {
  const { sql, account, cold } = context;
  let count = 0;
  const requeue = async (records: readonly EntryRecord[]) => {
    const batch = new OutcomeBatch();
    for (const record of records) {
      const entry = OutcomeBatch.track(record);
      batch.append(entry, decideRequeue(entry.state, at));
    }
    await batch.write(runner, sql, account);
    count += records.length;
  };
  if (ids === 'all-dead') {
    // A chunk at a time, each written before the next is read: memory stays flat however many there are.
    for (let after = 0; ; ) {
      const records = await cold.lockDeadAfter(db, after, CHUNK);
      await requeue(records);
      if (records.length < CHUNK) break;
      after = records.at(-1)!.rk;
    }
  } else if (ids.length > 0) {
    await requeue(await cold.lockDeadByIds(db, ids));
  }
  if (count > 0) await runner.rows(sql.notify, [context.channel, `${context.instanceId}:${count}`]);
  return count;
}

/**
 * Deletes one chunk of delivered and evicted entries, with their logs, last updated before `cutoff`; the caller
 * runs a transaction per chunk, so that the engines are never held up for long.
 *
 * @param context - the store's context
 * @param tx - the chunk's transaction
 * @param cutoff - epoch ms
 * @returns how many entries were deleted: fewer than {@link CHUNK} when none are left
 */
export async function pruneChunk(
  context: StoreContext,
  { runner, db }: StoreTransaction,
  cutoff: number,
): Promise<number> {
  const { sql, account, cold } = context;
  const rows = await cold.lockFinishedBefore(db, cutoff, CHUNK);
  if (rows.length === 0) return 0;
  await cold.deleteEntries(
    db,
    rows.map((row) => row.rk),
  );
  const delta = new CounterDelta();
  for (const row of rows) delta.move(row.status, undefined, 0);
  await runner.rows(sql.addCounters, [account, ...delta.values()]);
  return rows.length;
}
