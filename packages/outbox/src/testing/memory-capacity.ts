import { CapacityError, IdConflictError } from '@hubline/core';
import {
  capacityReason,
  decideEvict,
  type Eviction,
  hasOwnTimestamp,
  type PreparedEvent,
  sameEventContent,
} from '@hubline/core/store';
import { append, type MemoryEntry, sumBytes } from './memory-entry.js';
import type { ResolvedMemoryOptions } from './memory-store-options.js';

/**
 * The new entries of a record call, each id once; an id already stored (or earlier in the call) with the same
 * content in the same account is a no-op.
 *
 * @param entries - the store's entries by id
 * @param prepared - the validated events of the call
 * @throws {@link IdConflictError} for an id stored with other content or in another account, before anything
 *   changes
 */
export function freshEvents(
  entries: ReadonlyMap<string, MemoryEntry>,
  prepared: readonly PreparedEvent[],
): PreparedEvent[] {
  const fresh = new Map<string, PreparedEvent>();
  for (const entry of prepared) {
    const stored = entries.get(entry.event.id) ?? fresh.get(entry.event.id);
    if (stored === undefined) {
      fresh.set(entry.event.id, entry);
      continue;
    }
    const same =
      stored.account === entry.account &&
      sameEventContent(stored.event, entry.event, { ignoreTimestamp: !hasOwnTimestamp(entry.input) });
    if (!same) throw new IdConflictError(entry.event.id);
  }
  return [...fresh.values()];
}

/**
 * Applies the size cap to a record call, as the SQLite outbox does: throws before anything changes under the
 * `reject` policy or when nothing can be evicted; otherwise evicts the oldest pending entries recorded before
 * this call (never one in flight) until the new ones fit.
 *
 * @param entries - the store's entries
 * @param fresh - the events about to be recorded
 * @param at - the time
 * @param options - the store's capacity and logger
 * @returns the evictions, for `evicted$`
 * @throws {@link CapacityError} when the call does not fit
 */
export function makeRoom(
  entries: Iterable<MemoryEntry>,
  fresh: readonly PreparedEvent[],
  at: number,
  options: ResolvedMemoryOptions,
): Eviction[] {
  const { maxEntries, maxBytes, capacityPolicy } = options;
  if (fresh.length === 0) return [];
  const open = [...entries].filter(({ state }) => state.status === 'pending' || state.status === 'leased');
  let count = open.length + fresh.length;
  let bytes = sumBytes(open) + sumBytes(fresh);
  const over = (): 'maxEntries' | 'maxBytes' | undefined =>
    count > maxEntries ? 'maxEntries' : bytes > maxBytes ? 'maxBytes' : undefined;
  let limit = over();
  if (limit === undefined) return [];
  if (capacityPolicy === 'reject') throw new CapacityError(limit, options[limit]);
  const candidates = open
    .filter(({ state }) => state.status === 'pending')
    .sort((a, b) => a.state.recordedAt - b.state.recordedAt || a.rk - b.rk);
  const chosen: { entry: MemoryEntry; reason: string }[] = [];
  for (const entry of candidates) {
    if (limit === undefined) break;
    chosen.push({ entry, reason: capacityReason(limit, options[limit]) });
    count -= 1;
    bytes -= entry.bytes;
    limit = over();
  }
  if (limit !== undefined) throw new CapacityError(limit, options[limit]);
  for (const { entry, reason } of chosen) append(entry, decideEvict(entry.state, at, reason));
  if (chosen.length > 0) {
    options.logger.warn('evicted the oldest pending entries to make room', { evicted: chosen.length });
  }
  return chosen.map(({ entry, reason }) => ({ id: entry.id, reason }));
}
