import { type Settlement, type SettleResult, settlementEvents } from '@hubline/core/store';
import type { StoreClock } from '../clock/store-clock.js';
import { OutcomeBatch, type TrackedEntry } from '../storage/outcome-batch.js';
import type { StoreContext } from '../storage/store-context.js';

/** How many leases a book remembers at most: past it, it forgets them all (their settles then read the rows). */
const MAX_REMEMBERED = 100_000;

/**
 * The leases this store granted and has not seen settled: each entry as its claim left it (row key, account,
 * version, state). A settle of entries all found here needs no read: core decides from the remembered state, and
 * one statement writes each entry only if it is still at the remembered version — then nobody changed it since,
 * and the lease is as core saw it; an entry changed meanwhile (its lease expired and another claim took it, a
 * takeover) is not written, and its settlement is lost, as when read under a lock.
 */
export class LeaseBook {
  readonly #leases = new Map<string, { readonly owner: string; readonly entry: TrackedEntry }>();

  /**
   * Remembers the entries a claim leased to `owner`.
   *
   * @param owner - the lease owner
   * @param entries - the entries, as the claim's batch left them
   */
  hold(owner: string, entries: Iterable<TrackedEntry>): void {
    if (this.#leases.size >= MAX_REMEMBERED) this.#leases.clear();
    for (const entry of entries) this.#leases.set(entry.id, { owner, entry: { ...entry } });
  }

  /**
   * Takes the entries of `ids` out of the book: copies to settle from, when every one is there under `owner`.
   *
   * @param owner - the owner settling
   * @param ids - the entries
   * @returns the entries by id, or `undefined` when one is missing (the settle then reads them)
   */
  take(owner: string, ids: readonly string[]): Map<string, TrackedEntry> | undefined {
    const taken = new Map<string, TrackedEntry>();
    let complete = true;
    for (const id of ids) {
      const lease = this.#leases.get(id);
      this.#leases.delete(id);
      if (lease === undefined || lease.owner !== owner) complete = false;
      else if (!taken.has(id)) taken.set(id, { ...lease.entry });
    }
    return complete ? taken : undefined;
  }

  /**
   * Forgets entries (released, or settled through a read).
   *
   * @param ids - the entries
   */
  forget(ids: readonly string[]): void {
    for (const id of ids) this.#leases.delete(id);
  }
}

/**
 * Settles entries taken from the {@link LeaseBook} in one statement, outside a transaction: core decides each
 * settlement from the remembered state (an id settled twice sees its first settlement), and `writeLeased` writes
 * the entries still at their remembered version.
 *
 * @param context - the store's context
 * @param clock - the store's clock
 * @param owner - the lease owner
 * @param settlements - checked already
 * @param entries - every settled entry, by id, from {@link LeaseBook.take}
 */
export async function settleLeased(
  context: StoreContext,
  clock: StoreClock,
  owner: string,
  settlements: readonly Settlement[],
  entries: ReadonlyMap<string, TrackedEntry>,
): Promise<SettleResult> {
  const at = await clock.read('settle');
  const batch = new OutcomeBatch();
  // Each settlement in order, as core decides it: the entry it applies to, or none (the lease is not held).
  const decided = settlements.map((settlement) => {
    const entry = entries.get(settlement.id)!;
    const events = settlementEvents(entry.state, owner, settlement, at);
    return events === undefined ? undefined : { entry, dead: batch.append(entry, events).status === 'dead' };
  });
  const written = batch.isEmpty ? new Set<number>() : await guardedWrite(context, clock, batch, at);
  const applied: string[] = [];
  const lost: string[] = [];
  const deadLettered: string[] = [];
  settlements.forEach(({ id }, index) => {
    const decision = decided[index];
    if (decision === undefined || !written.has(decision.entry.rk)) {
      lost.push(id);
      return;
    }
    applied.push(id);
    if (decision.dead) deadLettered.push(id);
  });
  if (lost.length > 0)
    context.options.logger.warn('settle refused for lost leases', { owner, lost: lost.length });
  return { applied, lost, deadLettered };
}

/** Runs `writeLeased` on the pool and takes in the clock row it read. */
async function guardedWrite(
  context: StoreContext,
  clock: StoreClock,
  batch: OutcomeBatch,
  at: number,
): Promise<Set<number>> {
  let outcome: Awaited<ReturnType<OutcomeBatch['writeLeased']>>;
  try {
    outcome = await batch.writeLeased(context.pooled, context.sql);
  } catch (error) {
    throw context.failure(error, 'settle');
  }
  // A step back seen now is absorbed: the settled entries' waits move back with the others'.
  await clock.check('settle', outcome.clock, at);
  return outcome.written;
}
