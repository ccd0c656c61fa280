import { decideRelease, decideSettle, type SettleCommand } from '../../lifecycle/decide.js';
import { checkTransition } from '../../lifecycle/evolve.js';
import type { EntryState, LifecycleEvent } from '../../lifecycle/types.js';
import type { Release, Settlement } from '../../store/types.js';

/*
 * How the port's relative outcomes become core's lifecycle events, for every store: the store
 * stamps the time, core decides. Shared so that no two stores can drift apart.
 */

/** A failure budget so large that only the engine decides when to give up. */
const UNLIMITED_POLICY = { maxAttempts: Number.MAX_SAFE_INTEGER };

/**
 * Whether `owner` still holds the lease on an entry in `state`, so that it may settle or release it: core's
 * non-throwing transition check, asked about the simplest event that needs the lease. A lost lease is an
 * ordinary outcome of settling (another claim took the entry over, or it is settled already), so it is a
 * value here rather than an exception caught on the hot path.
 *
 * @param state - the entry's state
 * @param owner - who claims to hold the lease
 * @param at - the time
 */
function holdsLease(state: EntryState, owner: string, at: number): boolean {
  return checkTransition(state, { type: 'Delivered', at, owner, alreadyExisted: false }) === undefined;
}

/**
 * The events a settlement adds to an entry, or `undefined` when `owner` lost the lease.
 *
 * @param state - the entry's state
 * @param owner - the lease owner
 * @param settlement - the engine's outcome, already checked
 * @param at - the store's now
 */
export function settlementEvents(
  state: EntryState,
  owner: string,
  settlement: Settlement,
  at: number,
): LifecycleEvent[] | undefined {
  if (!holdsLease(state, owner, at)) return undefined;
  const policy =
    settlement.type === 'failed' && settlement.maxAttempts !== undefined
      ? { maxAttempts: settlement.maxAttempts }
      : UNLIMITED_POLICY;
  return decideSettle(state, toSettleCommand(owner, settlement, at), at, policy);
}

/**
 * The events a release adds to an entry, or `undefined` when `owner` lost the lease.
 *
 * @param state - the entry's state
 * @param owner - the lease owner
 * @param release - the engine's release, already checked
 * @param at - the store's now
 */
export function releaseEvents(
  state: EntryState,
  owner: string,
  release: Release,
  at: number,
): LifecycleEvent[] | undefined {
  if (!holdsLease(state, owner, at)) return undefined;
  const { reason, detail } = release;
  return decideRelease(
    state,
    { owner, reason, detail, nextAttemptAt: at + wholeMs(release.delayMs ?? 0) },
    at,
  );
}

/** A delay as whole milliseconds, never shorter than asked: the projection stores integer times. */
function wholeMs(delayMs: number): number {
  return Math.ceil(delayMs);
}

/** The engine's settlement, as core's lifecycle decision takes it, with its delay stamped from `at`. */
function toSettleCommand(owner: string, settlement: Settlement, at: number): SettleCommand {
  switch (settlement.type) {
    case 'delivered':
      return {
        outcome: 'delivered',
        owner,
        alreadyExisted: settlement.alreadyExisted,
        ...(settlement.evidence === undefined ? {} : { evidence: settlement.evidence }),
      };
    case 'failed':
      return {
        outcome: 'failed',
        owner,
        reason: settlement.reason,
        ...(settlement.status === undefined ? {} : { status: settlement.status }),
        countsAsAttempt: settlement.countsAsAttempt,
        ...(settlement.outcomeUnknown === true ? { outcomeUnknown: true } : {}),
        nextAttemptAt: at + wholeMs(settlement.delayMs),
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
