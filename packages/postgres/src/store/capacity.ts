import { CapacityError } from '@hubline/core';
import { capacityReason, decideEvict, type Eviction } from '@hubline/core/store';
import { CHUNK } from '../storage/chunk.js';
import { OutcomeBatch } from '../storage/outcome-batch.js';
import type { EntryRecord } from '../storage/projection.js';
import type { Runner } from '../storage/runner.js';
import type { StoreContext } from '../storage/store-context.js';

/**
 * Whether the store has a size cap: recorders then take turns (`capacityLock`), so that the count each one
 * checks is exact.
 *
 * @param context - the store's context
 */
export function isCapped(context: StoreContext): boolean {
  const { maxEntries, maxBytes } = context.options;
  return maxEntries !== Number.POSITIVE_INFINITY || maxBytes !== Number.POSITIVE_INFINITY;
}

/**
 * Applies the size cap, which counts every account's backlog, after a record's inserts, inside its transaction
 * (or savepoint); throwing undoes them. Room is made in the accounts being recorded, never in another's: only
 * entries of those accounts recorded before this call are evicted, oldest first, skipping any a claim holds
 * (evicting what is being recorded would be silent loss, and an entry in flight is never evicted).
 *
 * @param context - the store's context
 * @param runner - the record's transaction
 * @param at - the time
 * @param inserted - the ids this record inserted, and their accounts
 * @returns the evicted entries
 * @throws {@link CapacityError} under the `reject` policy, or when nothing can be evicted
 */
export async function enforceCapacity(
  context: StoreContext,
  runner: Runner,
  at: number,
  inserted: { readonly ids: readonly string[]; readonly accounts: readonly string[] },
): Promise<Eviction[]> {
  const { options, sql } = context;
  const { maxEntries, maxBytes, capacityPolicy } = options;
  const [backlog] = await runner.rows<{ entries: number; bytes: number }>(sql.backlog, []);
  let entries = backlog?.entries ?? 0;
  let bytes = backlog?.bytes ?? 0;
  const over = (): 'maxEntries' | 'maxBytes' | undefined =>
    entries > maxEntries ? 'maxEntries' : bytes > maxBytes ? 'maxBytes' : undefined;
  let limit = over();
  if (limit === undefined) return [];
  if (capacityPolicy === 'reject') throw new CapacityError(limit, options[limit]);
  const [first] = await runner.rows<{ rk: number }>(sql.firstRkOf, [inserted.ids]);
  const accounts = [...new Set(inserted.accounts)].sort();
  const evictions: Eviction[] = [];
  while (limit !== undefined) {
    const account = accounts[0];
    if (account === undefined) throw new CapacityError(limit, options[limit]);
    const candidates = await runner.rows<EntryRecord>(sql.evictionCandidates, [
      account,
      first?.rk ?? 0,
      CHUNK,
    ]);
    if (candidates.length < CHUNK) accounts.shift();
    const batch = new OutcomeBatch();
    for (const record of candidates) {
      const entry = OutcomeBatch.track(record);
      const reason = capacityReason(limit, options[limit]);
      batch.append(entry, decideEvict(entry.state, at, reason));
      entries -= 1;
      bytes -= entry.state.bytes;
      evictions.push({ id: entry.id, reason });
      limit = over();
      if (limit === undefined) break;
    }
    // Written per chunk: the next chunk's query no longer finds these as pending.
    await batch.write(runner, sql);
  }
  options.logger.warn('evicted the oldest pending entries to make room', { evicted: evictions.length });
  return evictions;
}
