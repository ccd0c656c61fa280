import {
  checkTransition,
  decideSettle,
  type EntryState,
  evolve,
  type LifecycleEvent,
  type SettleCommand,
} from '@hubline/core';
import type { Lease } from '../storage/lease-book.js';
import { CounterDelta, type EntryTuple, rowOfTuple, rowToState } from '../storage/projection.js';
import type { Settlement, SettleResult } from '../types.js';
import type { OutboxConnection } from './connection.js';
import { appendTo, pushLog, pushProjection } from './log-rows.js';

/** A failure budget so large that only the engine decides when to give up. */
const UNLIMITED_ATTEMPTS = Number.MAX_SAFE_INTEGER;

/** What one `settle` call has done so far, shared by its two paths. */
interface SettleAccumulator {
  readonly applied: string[];
  readonly lost: string[];
  readonly deadLettered: string[];
  readonly delta: CounterDelta;
  /** Log rows for `insertEvents`. */
  readonly log: unknown[];
}

/** An entry being settled: where it is and the state its settlements so far lead to. */
interface Settling {
  readonly rk: number;
  readonly bytes: number;
  version: number;
  state: EntryState;
}

/**
 * Applies settlements for entries leased by `owner`. Runs inside the caller's transaction; the arguments are
 * checked already.
 *
 * @param connection - the outbox's connection
 * @param owner - the lease owner
 * @param settlements - one outcome per entry
 * @param at - the settle time
 */
export function applySettlements(
  connection: OutboxConnection,
  owner: string,
  settlements: readonly Settlement[],
  at: number,
): SettleResult {
  const result: SettleAccumulator = {
    applied: [],
    lost: [],
    deadLettered: [],
    delta: new CounterDelta(),
    log: [],
  };
  const unsettled = settleHeldLeases(connection, owner, settlements, at, result);
  if (unsettled.length > 0) settleByReading(connection, owner, unsettled, at, result);
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
function settleHeldLeases(
  connection: OutboxConnection,
  owner: string,
  settlements: readonly Settlement[],
  at: number,
  result: SettleAccumulator,
): Settlement[] {
  const { leases, sql } = connection;
  if (leases.size === 0) return [...settlements];
  const unsettled: Settlement[] = [];
  const held: { settlement: Settlement; lease: Lease; events: LifecycleEvent[]; state: EntryState }[] = [];
  const guarded: unknown[] = [];
  for (const settlement of settlements) {
    const lease = leases.take(settlement.id, owner);
    if (lease === undefined) {
      unsettled.push(settlement);
      continue;
    }
    const events = settleEvents(lease.state, owner, settlement, at);
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
    countApplied(result, settlement.id, lease.state, state, lease.bytes);
  }
  return unsettled;
}

/** Settles by reading each entry's current row first: the general path, and the only one across processes. */
function settleByReading(
  connection: OutboxConnection,
  owner: string,
  settlements: readonly Settlement[],
  at: number,
  result: SettleAccumulator,
): void {
  // One read for the whole batch; an id settled twice in one call sees its first settlement's result.
  const entries = new Map<string, Settling>();
  const ids = [...new Set(settlements.map((settlement) => settlement.id))];
  for (const tuple of connection.sql.selectStatesByIds.all<EntryTuple>(ids)) {
    const row = rowOfTuple(tuple);
    entries.set(row.id, { rk: row.rk, bytes: row.bytes, version: row.version, state: rowToState(row) });
  }
  const changed = new Set<Settling>();
  for (const settlement of settlements) {
    const entry = entries.get(settlement.id);
    if (entry === undefined) {
      result.lost.push(settlement.id);
      continue;
    }
    const before = entry.state;
    const events = settleEvents(before, owner, settlement, at);
    if (events === undefined) {
      // The lease is gone (expired and taken, or already settled): refuse, never apply twice.
      result.lost.push(settlement.id);
      continue;
    }
    entry.state = appendTo(result.log, entry.rk, entry.version, before, events);
    entry.version += events.length;
    changed.add(entry);
    countApplied(result, settlement.id, before, entry.state, entry.bytes);
  }
  const projections: unknown[] = [];
  for (const { rk, version, state } of changed) {
    projections.push(rk);
    pushProjection(projections, state, version);
  }
  connection.sql.updateProjectionMany.run(projections);
}

/**
 * The lifecycle events a settlement adds to an entry in `state`, or `undefined` when core refuses them (the
 * lease is not `owner`'s any more, or the entry is already settled).
 */
function settleEvents(
  state: EntryState,
  owner: string,
  settlement: Settlement,
  at: number,
): LifecycleEvent[] | undefined {
  if (!holdsLease(state, owner, at)) return undefined;
  return decideSettle(state, toCoreSettlement(owner, settlement), at, attemptPolicyOf(settlement));
}

/**
 * Whether `owner` still holds the lease on an entry in `state`, so that it may settle or release it: core's
 * non-throwing transition check, asked about the simplest event that needs the lease. A lost lease is an
 * ordinary outcome of settling (another claim took the entry over, or it is settled already), so it is a
 * value here rather than an exception caught on the hot path.
 */
function holdsLease(state: EntryState, owner: string, at: number): boolean {
  return checkTransition(state, { type: 'Delivered', at, owner, alreadyExisted: false }) === undefined;
}

/** Accounts for one applied settlement: counters, `applied`, and `deadLettered` when it ended dead. */
function countApplied(
  result: SettleAccumulator,
  id: string,
  before: EntryState,
  after: EntryState,
  bytes: number,
): void {
  result.delta.move(before.status, after.status, bytes);
  result.applied.push(id);
  if (after.status === 'dead') result.deadLettered.push(id);
}

/** No attempt limit: what every settlement but a failure with `maxAttempts` carries. */
const UNLIMITED_POLICY = { maxAttempts: UNLIMITED_ATTEMPTS };

/** The attempt limit a settlement carries (only a failure has one). */
function attemptPolicyOf(settlement: Settlement): { maxAttempts: number } {
  return settlement.type === 'failed' && settlement.maxAttempts !== undefined
    ? { maxAttempts: settlement.maxAttempts }
    : UNLIMITED_POLICY;
}

/** The engine's settlement, as core's lifecycle decision takes it. */
function toCoreSettlement(owner: string, settlement: Settlement): SettleCommand {
  switch (settlement.type) {
    case 'delivered':
      return { outcome: 'delivered', owner, alreadyExisted: settlement.alreadyExisted };
    case 'failed':
      return {
        outcome: 'failed',
        owner,
        reason: settlement.reason,
        ...(settlement.status === undefined ? {} : { status: settlement.status }),
        countsAsAttempt: settlement.countsAsAttempt,
        nextAttemptAt: settlement.nextAttemptAt,
      };
    case 'dead':
      return {
        outcome: 'dead',
        owner,
        category: settlement.category,
        message: settlement.message,
        ...(settlement.status === undefined ? {} : { status: settlement.status }),
      };
  }
}
