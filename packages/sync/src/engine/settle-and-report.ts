import type { Logger } from '@hubline/core';
import { MAX_ATTEMPTS_CATEGORY } from '@hubline/core';
import type { ClaimedEntry, DeliveryStore, Release, Settlement, SettleResult } from '@hubline/core/store';
import type { DeliveryRegistry } from './delivery-registry.js';
import type { EngineCounters } from './engine-counters.js';
import type { SyncOutcome } from './types.js';

/** What writing settlements reports to. */
export interface SettleReportDeps {
  /** The store the settlements and releases are written to. */
  readonly store: DeliveryStore;
  /** The engine's lease owner id. */
  readonly owner: string;
  /** Where lost leases and dead letters are logged. */
  readonly logger: Logger;
  /** Where each applied settlement is told (`outcomes$`). */
  readonly outcomes: {
    /** Tell one event's outcome. */
    next(outcome: SyncOutcome): void;
  };
  /** The `whenDelivered` waiters, answered as their events settle. */
  readonly registry: DeliveryRegistry;
  /** The lane's counters: retries, dead letters, deliveries. */
  readonly counters: EngineCounters;
  /** Scheduler time now. */
  now(): number;
  /** The store changed: stats may have. */
  changed(): void;
}

/** Writes what happened to claimed entries, and tells whoever listens. */
export interface SettleAndReport {
  /**
   * Write settlements to the store and report each one that applied on `outcomes$`, to `whenDelivered` waiters
   * and in the counters. Settlements refused for a lost lease are logged, not reported (another holder owns those
   * events now).
   */
  settle(settlements: readonly Settlement[], entries: readonly ClaimedEntry[]): Promise<void>;
  /** Give entries back unsent (`Released`): no attempt, nothing to report but lost leases. */
  release(releases: readonly Release[]): Promise<void>;
}

/**
 * Create the engine's settle and release.
 *
 * @param deps - the store and where to report
 */
export function createSettleAndReport(deps: SettleReportDeps): SettleAndReport {
  const { store, owner, logger, outcomes, registry, counters } = deps;

  const warnLost = (result: SettleResult): void => {
    if (result.lost.length > 0) {
      logger.warn('lease lost before settling; another holder owns these events now', { ids: result.lost });
    }
  };

  const reportDead = (id: string, category: string, message: string, status?: number): void => {
    counters.dead += 1;
    logger.warn('event dead-lettered', { id, category });
    outcomes.next({ type: 'dead', id, category, message, ...(status === undefined ? {} : { status }) });
    registry.dead(id, category, message, status);
  };

  /** A known refusal that used the last attempt: core's policy dead-lettered it, with the entry's own words. */
  const reportGaveUp = async (settlement: Extract<Settlement, { type: 'failed' }>): Promise<void> => {
    const entry = await store.get(settlement.id);
    reportDead(
      settlement.id,
      MAX_ATTEMPTS_CATEGORY,
      entry?.lastError ?? settlement.reason,
      settlement.status,
    );
  };

  const reportFailed = (
    settlement: Extract<Settlement, { type: 'failed' }>,
    attemptsBefore: (id: string) => number,
    now: number,
  ): void => {
    counters.retries += 1;
    outcomes.next({
      type: 'retrying',
      id: settlement.id,
      reason: settlement.reason,
      countsAsAttempt: settlement.countsAsAttempt,
      attempts: attemptsBefore(settlement.id) + (settlement.countsAsAttempt ? 1 : 0),
      nextAttemptAt: now + settlement.delayMs,
      ...(settlement.status === undefined ? {} : { status: settlement.status }),
    });
  };

  /**
   * Reports one applied settlement, except a failure that gave up (its words are read back from the store first,
   * by the caller): which of the kinds it was.
   */
  const reportApplied = (
    settlement: Settlement,
    gaveUp: readonly string[],
    attemptsBefore: (id: string) => number,
    now: number,
  ): 'delivered' | 'gave-up' | 'reported' => {
    if (settlement.type === 'delivered') {
      outcomes.next({ type: 'delivered', id: settlement.id, alreadyExisted: settlement.alreadyExisted });
      registry.delivered(settlement.id);
      return 'delivered';
    }
    if (settlement.type === 'dead') {
      reportDead(settlement.id, settlement.category, settlement.message, settlement.status);
    } else if (gaveUp.includes(settlement.id)) {
      return 'gave-up';
    } else {
      reportFailed(settlement, attemptsBefore, now);
    }
    return 'reported';
  };

  return {
    async settle(settlements, entries) {
      if (settlements.length === 0) return;
      const result = await store.settle(owner, settlements);
      warnLost(result);
      const attemptsBefore = attemptsLookup(entries);
      const now = deps.now();
      const gaveUp: Extract<Settlement, { type: 'failed' }>[] = [];
      let delivered = 0;
      for (const settlement of appliedOf(settlements, result)) {
        const kind = reportApplied(settlement, result.deadLettered, attemptsBefore, now);
        if (kind === 'delivered') delivered += 1;
        else if (kind === 'gave-up' && settlement.type === 'failed') gaveUp.push(settlement);
      }
      for (const settlement of gaveUp)
        await reportGaveUp(settlement as Extract<Settlement, { type: 'failed' }>);
      if (delivered > 0) counters.addDelivered(delivered, now);
      deps.changed();
    },

    async release(releases) {
      if (releases.length === 0) return;
      warnLost(await store.release(owner, releases));
      deps.changed();
    },
  };
}

/** The attempts each entry had used before, by id: the map is built only when first asked (on a failure). */
function attemptsLookup(entries: readonly ClaimedEntry[]): (id: string) => number {
  let attemptsOf: Map<string, number> | undefined;
  return (id) => {
    attemptsOf ??= new Map(entries.map((entry) => [entry.id, entry.attempts]));
    return attemptsOf.get(id) ?? 0;
  };
}

/** The settlements the store applied: almost always all of them, and then without a lookup set. */
function appliedOf(settlements: readonly Settlement[], result: SettleResult): readonly Settlement[] {
  if (result.applied.length === settlements.length) return settlements;
  const applied = new Set(result.applied);
  return settlements.filter((settlement) => applied.has(settlement.id));
}
