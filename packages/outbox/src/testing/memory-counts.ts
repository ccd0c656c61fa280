import { type AccountDue, MAX_DELAY_MS, type OutboxStats } from '@hubline/core/store';
import { dueAt, type MemoryEntry } from './memory-entry.js';

/**
 * The memory store's stats of one account, or of all.
 *
 * @param entries - the store's entries
 * @param now - the time
 * @param account - only this account's entries, if given
 */
export function statsOf(
  entries: Iterable<MemoryEntry>,
  now: number,
  account: string | undefined,
): OutboxStats {
  const counts = { pending: 0, leased: 0, delivered: 0, dead: 0, evicted: 0 };
  let oldest = Number.POSITIVE_INFINITY;
  let backlogBytes = 0;
  for (const entry of entries) {
    if (account !== undefined && entry.account !== account) continue;
    const { state } = entry;
    counts[state.status] += 1;
    if (state.status === 'pending' || state.status === 'leased') {
      oldest = Math.min(oldest, state.recordedAt);
      backlogBytes += state.bytes;
    }
  }
  return {
    pending: counts.pending,
    inFlight: counts.leased,
    delivered: counts.delivered,
    dead: counts.dead,
    evicted: counts.evicted,
    oldestPendingAgeMs: oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, now - oldest),
    backlogBytes,
  };
}

/**
 * Ms from `now` until `due`, as the port answers it: 0 when due, never more than `MAX_DELAY_MS`.
 *
 * @param due - a due time
 * @param now - the time
 */
export function dueIn(due: number, now: number): number {
  return Math.min(MAX_DELAY_MS, Math.max(0, due - now));
}

/**
 * Every account with undelivered entries and when its next one is due, earliest due first (ties by account).
 *
 * @param entries - the store's entries
 * @param now - the time
 */
export function accountsDueOf(entries: Iterable<MemoryEntry>, now: number): AccountDue[] {
  const earliest = new Map<string, number>();
  for (const entry of entries) {
    const due = dueAt(entry.state);
    if (due === Number.POSITIVE_INFINITY) continue;
    earliest.set(entry.account, Math.min(earliest.get(entry.account) ?? Number.POSITIVE_INFINITY, due));
  }
  return [...earliest]
    .sort(([a, dueA], [b, dueB]) => dueA - dueB || (a < b ? -1 : a > b ? 1 : 0))
    .map(([account, due]) => ({ account, dueIn: dueIn(due, now) }));
}
