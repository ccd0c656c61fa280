import { type EntryState, evolve, type LifecycleEvent, type SettleResult } from '@hubline/core/store';
import { Counts } from '../storage/counts.js';
import type { Lease } from '../storage/lease-book.js';
import { type EntryTuple, rowOfTuple, rowToState } from '../storage/projection.js';
import type { OutboxConnection } from './connection.js';

import { appendTo, pushLog, pushProjection } from './log-rows.js';

/**
 * The lifecycle events an outcome adds to an entry in `state`, or `undefined` when `owner` no longer holds its
 * lease (the outcome is then lost).
 */
export type DecideOutcome<T> = (
  state: EntryState,
  owner: string,
  outcome: T,
  at: number,
) => LifecycleEvent[] | undefined;

/** What one `settle` or `release` call has done so far, shared by its two paths. */
interface SettleAccumulator {
  readonly applied: string[];
  readonly lost: string[];
  readonly deadLettered: string[];
  readonly delta: Counts;
  /** Log rows for `insertEvents`. */
  readonly log: unknown[];
}

/** An entry being settled: where it is and the state its settlements so far lead to. */
interface Settling {
  readonly rk: number;
  readonly bytes: number;
  readonly account: string;
  version: number;
  state: EntryState;
}

/**
 * Applies outcomes (settlements or releases) for entries leased by `owner`. Runs inside the caller's
 * transaction; the arguments are checked already.
 *
 * @param connection - the outbox's connection
 * @param owner - the lease owner
 * @param settlements - one outcome per entry
 * @param at - the settle time
 * @param decide - the lifecycle events of one outcome (see {@link DecideOutcome})
 */
export function applyOutcomes<T extends { readonly id: string }>(
  connection: OutboxConnection,
  owner: string,
  settlements: readonly T[],
  at: number,
  decide: DecideOutcome<T>,
): SettleResult {
  const result: SettleAccumulator = {
    applied: [],
    lost: [],
    deadLettered: [],
    delta: new Counts(),
    log: [],
  };
  const unsettled = settleHeldLeases(connection, owner, settlements, at, result, decide);
  if (unsettled.length > 0) settleByReading(connection, owner, unsettled, at, result, decide);
  connection.sql.insertEvents.run(result.log);
  connection.addCounters(result.delta);
  const { applied, lost, deadLettered } = result;
  if (lost.length > 0)
    connection.options.logger.warn('settle refused for lost leases', { owner, lost: lost.length });
  return { applied, lost, deadLettered };
}

/**
 * Settles the entries whose leases this connection took, from the state it noted at the claim: no read, and
 * one compare-and-set UPDATE that applies only to rows still at the noted id and version. Returns the
 * settlements it could not vouch for (no noted lease, another owner, a row changed since), in order.
 */
function settleHeldLeases<T extends { readonly id: string }>(
  connection: OutboxConnection,
  owner: string,
  settlements: readonly T[],
  at: number,
  result: SettleAccumulator,
  decide: DecideOutcome<T>,
): T[] {
  const { leases, sql } = connection;
  if (leases.size === 0) return [...settlements];
  const unsettled: T[] = [];
  const held: { settlement: T; lease: Lease; events: LifecycleEvent[]; state: EntryState }[] = [];
  const guarded: unknown[] = [];
  for (const settlement of settlements) {
    const lease = leases.take(settlement.id, owner);
    if (lease === undefined) {
      unsettled.push(settlement);
      continue;
    }
    const events = decide(lease.state, owner, settlement, at);
    if (events === undefined) {
      unsettled.push(settlement);
      continue;
    }
    const state = events.reduce<EntryState>(evolve, lease.state);
    guarded.push(lease.rk, settlement.id, lease.version);
    pushProjection(guarded, state, lease.version + events.length);
    held.push({ settlement, lease, events, state });
  }
  if (held.length === 0) return unsettled;
  const changed = new Set(sql.updateProjectionIfUnchanged.all<readonly [number]>(guarded).map(([rk]) => rk));
  for (const { settlement, lease, events, state } of held) {
    if (!changed.has(lease.rk)) {
      unsettled.push(settlement);
      continue;
    }
    pushLog(result.log, lease.rk, lease.version, events);
    countApplied(result, settlement.id, lease.state, state, lease.bytes, lease.account);
  }
  return unsettled;
}

/** Settles by reading each entry's current row first: the general path, and the only one across processes. */
function settleByReading<T extends { readonly id: string }>(
  connection: OutboxConnection,
  owner: string,
  settlements: readonly T[],
  at: number,
  result: SettleAccumulator,
  decide: DecideOutcome<T>,
): void {
  // One read for the whole batch; an id settled twice in one call sees its first settlement's result.
  const entries = new Map<string, Settling>();
  const ids = [...new Set(settlements.map((settlement) => settlement.id))];
  for (const tuple of connection.sql.selectStatesByIds.all<EntryTuple>(ids)) {
    const row = rowOfTuple(tuple);
    entries.set(row.id, {
      rk: row.rk,
      bytes: row.bytes,
      account: row.account,
      version: row.version,
      state: rowToState(row),
    });
  }
  const changed = new Set<Settling>();
  for (const settlement of settlements) {
    const entry = entries.get(settlement.id);
    if (entry === undefined) {
      result.lost.push(settlement.id);
      continue;
    }
    const before = entry.state;
    const events = decide(before, owner, settlement, at);
    if (events === undefined) {
      // The lease is gone (expired and taken, or already settled): refuse, never apply twice.
      result.lost.push(settlement.id);
      continue;
    }
    entry.state = appendTo(result.log, entry.rk, entry.version, before, events);
    entry.version += events.length;
    changed.add(entry);
    countApplied(result, settlement.id, before, entry.state, entry.bytes, entry.account);
  }
  const projections: unknown[] = [];
  for (const { rk, version, state } of changed) {
    projections.push(rk);
    pushProjection(projections, state, version);
  }
  connection.sql.updateProjectionMany.run(projections);
}

/** Accounts for one applied settlement: counters, `applied`, and `deadLettered` when it ended dead. */
function countApplied(
  result: SettleAccumulator,
  id: string,
  before: EntryState,
  after: EntryState,
  bytes: number,
  account: string,
): void {
  result.delta.move(account, before.status, after.status, bytes);
  result.applied.push(id);
  if (after.status === 'dead') result.deadLettered.push(id);
}
