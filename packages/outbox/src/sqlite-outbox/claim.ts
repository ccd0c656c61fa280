import {
  type ClaimedEntry,
  type ClaimOptions,
  decideClaim,
  dueAtOf,
  StoredClaimedEntry,
} from '@hubline/core/store';
import { Counts } from '../storage/counts.js';
import type { Lease } from '../storage/lease-book.js';
import { type EntryTuple, rowOfTuple, rowToState } from '../storage/projection.js';
import type { OutboxConnection } from './connection.js';

import { appendTo } from './log-rows.js';

/**
 * Leases the oldest due entries to `options.owner`. Runs inside the caller's transaction; the arguments are
 * checked already.
 *
 * @param connection - the outbox's connection
 * @param options - limit, byte budget (`Infinity` for none), lease length, owner and account
 * @param at - the claim time
 * @returns the leased entries, oldest first
 */
export function claimDue(
  connection: OutboxConnection,
  options: Required<ClaimOptions>,
  at: number,
): ClaimedEntry[] {
  const { sql, leases, options: settings } = connection;
  const { limit, maxBytes, leaseMs, owner, account } = options;
  connection.owners.beforeClaim(owner, at);
  const rows = (sql.selectDue.all(account, at, limit) as EntryTuple[]).map(rowOfTuple);
  const claimed: ClaimedEntry[] = [];
  const delta = new Counts();
  // Every log row and every projection of the batch is written by a few multi-row statements at the end.
  const log: unknown[] = [];
  const projections: unknown[] = [];
  const command = { at, owner, leaseMs };
  // Noted in the lease book after the writes.
  const taken: Lease[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (claimed.length > 0 && bytes + row.bytes > maxBytes) break;
    bytes += row.bytes;
    const before = rowToState(row);
    const events = decideClaim(before, command);
    const state = appendTo(log, row.rk, row.version, before, events);
    if (events.length > 1) settings.logger.debug('lease expired', { id: row.id, owner: row.lease_owner });
    const version = row.version + events.length;
    projections.push(
      row.rk,
      state.status,
      state.nextAttemptAt,
      state.leaseOwner,
      state.leaseUntil,
      state.updatedAt,
      version,
      dueAtOf(state),
    );
    delta.move(account, before.status, state.status, row.bytes);
    taken.push({ id: row.id, rk: row.rk, owner, bytes: row.bytes, version, state, account });
    claimed.push(
      new StoredClaimedEntry(
        row.id,
        row.event,
        state.attempts,
        row.bytes,
        state.recordedAt,
        state.leaseUntil!,
        state.inDoubt,
        account,
      ),
    );
  }
  sql.insertEvents.run(log);
  sql.updateClaimedMany.run(projections);
  connection.addCounters(delta);
  // Noted once the writes succeeded; a commit that fails after this leaves leases whose version the rows
  // never reached, which settle detects and reads past.
  leases.rememberClaim(taken);
  return claimed;
}
