import { type AccountDue, MAX_DELAY_MS, type OutboxStats } from '@hubline/core/store';
import type { OutboxConnection } from './connection.js';

/** A counters row, totals or one account's. */
interface CountersRow {
  readonly pending: number;
  readonly leased: number;
  readonly delivered: number;
  readonly dead: number;
  readonly evicted: number;
  readonly backlog_bytes: number;
}

const NO_COUNTS: CountersRow = { pending: 0, leased: 0, delivered: 0, dead: 0, evicted: 0, backlog_bytes: 0 };

function toStats(row: CountersRow, oldest: number | undefined, now: number): OutboxStats {
  return {
    pending: row.pending,
    inFlight: row.leased,
    delivered: row.delivered,
    dead: row.dead,
    evicted: row.evicted,
    oldestPendingAgeMs: oldest === undefined || oldest === null ? 0 : Math.max(0, now - oldest),
    backlogBytes: row.backlog_bytes,
  };
}

/**
 * The totals: the counters row plus the newest entry's running totals, and the oldest undelivered entry.
 *
 * @param connection - the outbox's connection
 * @param now - the time
 */
export function totalStats(connection: OutboxConnection, now: number): OutboxStats {
  const { sql } = connection;
  return toStats(sql.readCounters.get() as CountersRow, sql.oldestBacklog.get() as number | undefined, now);
}

/**
 * One account's counts: its counters row and its oldest undelivered entry (two indexed reads).
 *
 * @param connection - the outbox's connection
 * @param account - the account
 * @param now - the time
 */
export function accountStats(connection: OutboxConnection, account: string, now: number): OutboxStats {
  const { sql } = connection;
  const row = (sql.accountCounters.get(account) as CountersRow | undefined) ?? NO_COUNTS;
  return toStats(row, sql.oldestBacklogOf.get(account) as number | undefined, now);
}

/**
 * Every account with undelivered entries and when its next one is due, earliest first (see `ACCOUNTS_DUE_SQL`);
 * every account is due now while a process that is gone holds leases.
 *
 * @param connection - the outbox's connection
 * @param now - the time
 */
export function accountsDue(connection: OutboxConnection, now: number): AccountDue[] {
  const rows = connection.sql.accountsDue.all() as [string, number | null][];
  // Leases held by a process that is gone are due now (the next claim takes them over, whatever its account),
  // as `nextDueIn` says: a restarted engine must not wait out a dead one's leases.
  const goneOwner = rows.length > 0 && connection.owners.goneOwnerHoldsLease(now);
  const due: AccountDue[] = [];
  for (const [account, dueAt] of rows) {
    // A counters row whose entries are gone (a rebuild in another process) has no due time: nothing waits.
    if (dueAt === null) continue;
    due.push({ account, dueIn: goneOwner ? 0 : Math.min(MAX_DELAY_MS, Math.max(0, dueAt - now)) });
  }
  return due;
}
