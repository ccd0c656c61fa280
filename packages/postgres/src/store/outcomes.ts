import type { EntryState, LifecycleEvent, SettleResult } from '@hubline/core/store';
import { OutcomeBatch, type TrackedEntry } from '../storage/outcome-batch.js';
import type { EntryRecord } from '../storage/projection.js';
import type { StoreContext, StoreTransaction } from '../storage/store-context.js';

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
 * Applies outcomes (settlements or releases) for entries leased by `owner`, in one transaction: the entries are
 * locked in row-key order (two settles never deadlock), each outcome is decided by core on the entry's state
 * after the outcomes before it (an id settled twice in one call sees its first settlement), and one statement
 * writes them all. Outcomes whose lease is gone are listed in `lost` and never applied.
 *
 * @param context - the store's context
 * @param tx - the transaction
 * @param owner - the lease owner
 * @param outcomes - one per entry, checked already
 * @param at - the time
 * @param decide - the lifecycle events of one outcome
 */
export async function applyOutcomes<T extends { readonly id: string }>(
  context: StoreContext,
  { runner }: StoreTransaction,
  owner: string,
  outcomes: readonly T[],
  at: number,
  decide: DecideOutcome<T>,
): Promise<SettleResult> {
  const { sql } = context;
  const ids = [...new Set(outcomes.map((outcome) => outcome.id))];
  const rows = await runner.rows<EntryRecord>(sql.lockByIds, [ids]);
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
  await batch.write(runner, sql);
  if (lost.length > 0)
    context.options.logger.warn('settle refused for lost leases', { owner, lost: lost.length });
  return { applied, lost, deadLettered };
}
