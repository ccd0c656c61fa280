import { CapacityError } from '@hubline/core';
import { capacityReason, decideEvict, type Eviction } from '@hubline/core/store';
import type { Counts } from '../storage/counts.js';
import { type EntryRow, rowToState } from '../storage/projection.js';
import { CHUNK } from './chunk.js';
import type { OutboxConnection } from './connection.js';

/**
 * Applies the size cap after the inserts of one transaction; throwing rolls them back. Only entries older
 * than this transaction's (`rk < firstNewRk`) are evicted: evicting what is being recorded would be silent loss.
 *
 * @param connection - the outbox's connection
 * @param delta - the transaction's counter changes so far; evictions are added to it
 * @param at - the time
 * @param firstNewRk - the row key of the first entry this transaction inserted
 * @param evictions - receives the evicted entries
 * @throws {@link CapacityError} under the `reject` policy, or when nothing can be evicted
 */
export function enforceCapacity(
  connection: OutboxConnection,
  delta: Counts,
  at: number,
  firstNewRk: number,
  evictions: Eviction[],
): void {
  const { options, sql } = connection;
  const { maxEntries, maxBytes, capacityPolicy } = options;
  if (maxEntries === Number.POSITIVE_INFINITY && maxBytes === Number.POSITIVE_INFINITY) return;
  const current = sql.readCounters.get() as { pending: number; leased: number; backlog_bytes: number };
  let entries = current.pending + current.leased + delta.total.pending + delta.total.leased;
  let bytes = current.backlog_bytes + delta.total.backlogBytes;
  const over = (): 'maxEntries' | 'maxBytes' | undefined =>
    entries > maxEntries ? 'maxEntries' : bytes > maxBytes ? 'maxBytes' : undefined;
  let limit = over();
  if (limit === undefined) return;
  if (capacityPolicy === 'reject') throw new CapacityError(limit, options[limit]);
  while (limit !== undefined) {
    const candidates = sql.selectOldestPending.all(firstNewRk, CHUNK) as EntryRow[];
    if (candidates.length === 0) throw new CapacityError(limit, options[limit]);
    for (const row of candidates) {
      const before = rowToState(row);
      const reason = capacityReason(limit, options[limit]);
      const events = decideEvict(before, at, reason);
      const state = connection.append(row.rk, row.version, before, events);
      connection.writeProjection(row.rk, row.version + events.length, state);
      delta.move(row.account, before.status, state.status, row.bytes);
      entries -= 1;
      bytes -= row.bytes;
      evictions.push({ id: row.id, reason });
      limit = over();
      if (limit === undefined) break;
    }
  }
  options.logger.warn('evicted the oldest pending entries to make room', { evicted: evictions.length });
}
