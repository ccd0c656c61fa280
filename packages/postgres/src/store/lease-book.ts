import { type Settlement, type SettleResult, settlementEvents } from '@hubline/core/store';
import type { StoreClock } from '../clock/store-clock.js';
import { OutcomeBatch, type TrackedEntry } from '../storage/outcome-batch.js';
import type { StoreContext } from '../storage/store-context.js';

/** How many leases a book remembers at most: past it, it forgets them all (their settles then read the rows). */
const MAX_REMEMBERED = 100_000;

/** One lease in the book. */
interface HeldLease {
  /** Who holds it. */
  readonly owner: string;
  /** The entry as the claim left it. */
  readonly entry: TrackedEntry;
}

/**
 * The leases this store granted and has not seen settled: each entry as its claim left it (row key, account,
 * version, state). A settle of entries all found here needs no read: core decides from the remembered state, and
 * one statement writes each entry only if it is still at the remembered version — then nobody changed it since,
 * and the lease is as core saw it; an entry changed meanwhile (its lease expired and another claim took it, a
 * takeover) is not written, and its settlement is lost, as when read under a lock.
 */
export class LeaseBook {
  readonly #leases = new Map<string, HeldLease>();

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

/** How each settlement fared on the lease book's path. */
export type LeasedOutcome = 'applied' | 'dead-lettered' | 'unwritten';

/**
 * Settles entries taken from the {@link LeaseBook} in one statement, outside a transaction: core decides each
 * settlement from the remembered state, and `writeLeased` writes the entries still at their remembered version,
 * while the clock has not stepped back from the time they are stamped with. A settlement left unwritten is not
 * lost yet: the entry may only have moved on without its lease changing hands (a clock step moved its lease
 * back), so the caller settles those by reading them under a lock, which decides.
 *
 * @param context - the store's context
 * @param clock - the store's clock
 * @param owner - the lease owner
 * @param settlements - checked already
 * @param entries - every settled entry, by id, from {@link LeaseBook.take}
 * @returns each settlement's outcome, in order
 */
export async function settleLeased(
  context: StoreContext,
  clock: StoreClock,
  owner: string,
  settlements: readonly Settlement[],
  entries: ReadonlyMap<string, TrackedEntry>,
): Promise<LeasedOutcome[]> {
  const at = await clock.read('settle');
  const batch = new OutcomeBatch();
  // Each settlement in order, as core decides it: the entry it applies to, or none (the lease is not held).
  const decided = settlements.map((settlement) => {
    const entry = entries.get(settlement.id)!;
    const events = settlementEvents(entry.state, owner, settlement, at);
    return events === undefined ? undefined : { entry, dead: batch.append(entry, events).status === 'dead' };
  });
  const written = batch.isEmpty ? new Set<number>() : await guardedWrite(context, clock, batch, at);
  return decided.map((decision) => {
    if (decision === undefined || !written.has(decision.entry.rk)) return 'unwritten';
    return decision.dead ? 'dead-lettered' : 'applied';
  });
}

/**
 * One settle's result from the lease book's outcomes and, for the settlements it left unwritten, the result of
 * settling those by reading them: every list in the order of `settlements`.
 *
 * @param settlements - the settle's settlements
 * @param outcomes - {@link settleLeased}'s, one per settlement
 * @param reread - the result for the unwritten ones, in their order
 */
export function mergeSettled(
  settlements: readonly Settlement[],
  outcomes: readonly LeasedOutcome[],
  reread: SettleResult,
): SettleResult {
  const rereadApplied = countIds(reread.applied);
  const rereadDead = countIds(reread.deadLettered);
  const applied: string[] = [];
  const lost: string[] = [];
  const deadLettered: string[] = [];
  settlements.forEach(({ id }, index) => {
    const outcome = outcomes[index];
    if (outcome === 'applied' || outcome === 'dead-lettered') {
      applied.push(id);
      if (outcome === 'dead-lettered') deadLettered.push(id);
    } else if (takeId(rereadApplied, id)) {
      applied.push(id);
      if (takeId(rereadDead, id)) deadLettered.push(id);
    } else {
      lost.push(id);
    }
  });
  return { applied, lost, deadLettered };
}

function countIds(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/** Takes one `id` out of `counts`; whether there was one. */
function takeId(counts: Map<string, number>, id: string): boolean {
  const left = counts.get(id) ?? 0;
  if (left === 0) return false;
  counts.set(id, left - 1);
  return true;
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
    outcome = await batch.writeLeased(context.pooled, context.sql, at);
  } catch (error) {
    throw context.failure(error, 'settle');
  }
  // A step back seen now is absorbed: the settled entries' waits move back with the others'.
  await clock.check('settle', outcome.clock, at);
  return outcome.written;
}
