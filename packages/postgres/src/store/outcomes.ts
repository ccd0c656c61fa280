import type { EntryState, LifecycleEvent, SettleResult } from '@hubline/core/store';
import { OutcomeBatch, type TrackedEntry } from '../storage/outcome-batch.js';
import type { EntryRecord } from '../storage/projection.js';
import type { Opening, StoreContext, StoreTransaction } from '../storage/store-context.js';

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

/**
 * The outcomes' read of their entries as a transaction's {@link Opening}, sent with `BEGIN`.
 *
 * @param context - the store's context
 * @param outcomes - the outcomes
 */
export function outcomesOpening(
  context: StoreContext,
  outcomes: readonly { readonly id: string }[],
): Opening {
  return { statement: context.sql.lockByIds, values: [idsOf(outcomes)] };
}

/** Each id once. */
function idsOf(outcomes: readonly { readonly id: string }[]): string[] {
  return [...new Set(outcomes.map((outcome) => outcome.id))];
}

/**
 * Applies outcomes (settlements or releases) for entries leased by `owner`, in one transaction: the entries are
 * locked in row-key order (two settles never deadlock), each outcome is decided by core on the entry's state
 * after the outcomes before it (an id settled twice in one call sees its first settlement), and one statement
 * writes them all. Outcomes whose lease is gone are listed in `lost` and never applied.
 *
 * @param context - the store's context
 * @param tx - the transaction, begun with {@link outcomesOpening} or not
 * @param owner - the lease owner
 * @param outcomes - one per entry, checked already
 * @param at - the time
 * @param decide - the lifecycle events of one outcome
 * @param finishing - whether the write is the transaction's last statement (it then commits with it)
 */
export async function applyOutcomes<T extends { readonly id: string }>(
  context: StoreContext,
  tx: StoreTransaction,
  owner: string,
  outcomes: readonly T[],
  at: number,
  decide: DecideOutcome<T>,
  finishing: boolean,
): Promise<SettleResult> {
  const { sql } = context;
  const rows =
    (tx.opened as EntryRecord[] | undefined) ??
    (await tx.runner.rows<EntryRecord>(sql.lockByIds, [idsOf(outcomes)]));
  const entries = new Map<string, TrackedEntry>(
    rows.map((record) => [record.id, OutcomeBatch.track(record)]),
  );
  const batch = new OutcomeBatch();
  const applied: string[] = [];
  const lost: string[] = [];
  const deadLettered: string[] = [];
  for (const outcome of outcomes) {
    const entry = entries.get(outcome.id);
    const events = entry === undefined ? undefined : decide(entry.state, owner, outcome, at);
    if (entry === undefined || events === undefined) {
      lost.push(outcome.id);
      continue;
    }
    if (batch.append(entry, events).status === 'dead') deadLettered.push(outcome.id);
    applied.push(outcome.id);
  }
  await batch.write(finishing ? tx.closing : tx.runner, sql);
  if (lost.length > 0)
    context.options.logger.warn('settle refused for lost leases', { owner, lost: lost.length });
  return { applied, lost, deadLettered };
}
