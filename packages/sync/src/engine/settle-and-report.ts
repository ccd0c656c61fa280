import type { ClaimedEntry, Outbox, Settlement } from '@hubline/outbox';
import type { Subject } from 'rxjs';
import type { DeliveryRegistry } from './delivery-registry.js';
import type { EngineCounters } from './engine-counters.js';
import type { SyncLogger, SyncOutcome } from './types.js';

/** What writing settlements reports to. */
export interface SettleReportDeps {
  readonly outbox: Outbox;
  /** The engine's lease owner id. */
  readonly owner: string;
  readonly logger: SyncLogger;
  readonly outcomes: Subject<SyncOutcome>;
  readonly registry: DeliveryRegistry;
  readonly counters: EngineCounters;
  /** Scheduler time now. */
  now(): number;
  /** The outbox changed: stats may have. */
  changed(): void;
}

/**
 * Create the engine's `settle`: write settlements to the outbox and report each one that applied on `outcomes$`,
 * to `whenDelivered` waiters and in the counters. Settlements refused for a lost lease are logged, not reported
 * (another holder owns those events now).
 *
 * @param deps - the outbox and where to report
 */
export function createSettleAndReport(
  deps: SettleReportDeps,
): (settlements: readonly Settlement[], entries: readonly ClaimedEntry[]) => void {
  const { outbox, owner, logger, outcomes, registry, counters } = deps;

  const reportDead = (settlement: Extract<Settlement, { type: 'dead' }>): void => {
    counters.dead += 1;
    logger.warn('event dead-lettered', { id: settlement.id, category: settlement.category });
    outcomes.next({
      type: 'dead',
      id: settlement.id,
      category: settlement.category,
      message: settlement.message,
      ...(settlement.status === undefined ? {} : { status: settlement.status }),
    });
    registry.dead(settlement.id, settlement.category, settlement.message, settlement.status);
  };

  return (settlements, entries) => {
    const result = outbox.settle(owner, settlements);
    if (result.lost.length > 0) {
      logger.warn('lease lost before settling; another holder owns these events now', { ids: result.lost });
    }
    // Almost always every settlement applies; only then can the lookup set be skipped.
    const applied = result.applied.length === settlements.length ? undefined : new Set(result.applied);
    let attemptsOf: Map<string, number> | undefined;
    const attemptsBefore = (id: string): number => {
      attemptsOf ??= new Map(entries.map((entry) => [entry.id, entry.attempts]));
      return attemptsOf.get(id) ?? 0;
    };
    let delivered = 0;
    for (const settlement of settlements) {
      if (applied !== undefined && !applied.has(settlement.id)) continue;
      if (settlement.type === 'delivered') {
        delivered += 1;
        outcomes.next({ type: 'delivered', id: settlement.id, alreadyExisted: settlement.alreadyExisted });
        registry.delivered(settlement.id);
      } else if (settlement.type === 'dead') {
        reportDead(settlement);
      } else {
        counters.retries += 1;
        outcomes.next({
          type: 'retrying',
          id: settlement.id,
          reason: settlement.reason,
          countsAsAttempt: settlement.countsAsAttempt,
          attempts: attemptsBefore(settlement.id) + (settlement.countsAsAttempt ? 1 : 0),
          nextAttemptAt: settlement.nextAttemptAt,
          ...(settlement.status === undefined ? {} : { status: settlement.status }),
        });
      }
    }
    if (delivered > 0) counters.addDelivered(delivered, deps.now());
    deps.changed();
  };
}
