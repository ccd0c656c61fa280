import type { Logger } from '@hubline/core';
import { MAX_ATTEMPTS_CATEGORY } from '@hubline/core';
import type { ClaimedEntry, DeliveryStore, Release, Settlement, SettleResult } from '@hubline/core/store';
import type { DeliveryRegistry } from './delivery-registry.js';
import type { EngineCounters } from './engine-counters.js';
import type { SyncOutcome } from './types.js';

/** What writing settlements reports to. */
export interface SettleReportDeps {
  readonly store: DeliveryStore;
  /** The engine's lease owner id. */
  readonly owner: string;
  readonly logger: Logger;
  readonly outcomes: { next(outcome: SyncOutcome): void };
  readonly registry: DeliveryRegistry;
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

  return {
    async settle(settlements, entries) {
      if (settlements.length === 0) return;
      const result = await store.settle(owner, settlements);
      warnLost(result);
      // Almost always every settlement applies and none gives up; only then can the lookup sets be skipped.
      const applied = result.applied.length === settlements.length ? undefined : new Set(result.applied);
      const gaveUp = result.deadLettered.length === 0 ? undefined : new Set(result.deadLettered);
      let attemptsOf: Map<string, number> | undefined;
      const attemptsBefore = (id: string): number => {
        attemptsOf ??= new Map(entries.map((entry) => [entry.id, entry.attempts]));
        return attemptsOf.get(id) ?? 0;
      };
      const now = deps.now();
      let delivered = 0;
      for (const settlement of settlements) {
        if (applied !== undefined && !applied.has(settlement.id)) continue;
        if (settlement.type === 'delivered') {
          delivered += 1;
          outcomes.next({ type: 'delivered', id: settlement.id, alreadyExisted: settlement.alreadyExisted });
          registry.delivered(settlement.id);
        } else if (settlement.type === 'dead') {
          reportDead(settlement.id, settlement.category, settlement.message, settlement.status);
        } else if (gaveUp?.has(settlement.id) === true) {
          await reportGaveUp(settlement);
        } else {
          reportFailed(settlement, attemptsBefore, now);
        }
      }
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
