import type { ClaimedEntry, Outbox, Settlement } from '@hubline/outbox';
import type { RateGrant } from '../contracts.js';
import { nextTurn } from './next-turn.js';
import type { ResolvedSyncOptions } from './options.js';
import { type BatchContext, sendBatch } from './send-batch.js';
import { releaseSettlements } from './settlement.js';

/** What the workers of one pass need from the engine. */
export interface WorkerDeps {
  readonly config: ResolvedSyncOptions;
  readonly outbox: Outbox;
  readonly batch: BatchContext;
  /** Current byte budget per request (lowered after a 413). */
  maxBatchBytes(): number;
  /** Whether a request may start now (not stopping, not paused, online). */
  canSend(): boolean;
  /** Wait for a slot of the rate budget; `undefined` when the wait was abandoned. */
  acquire(): Promise<RateGrant | undefined>;
  /** Scheduler time now. */
  now(): number;
  /** Write settlements and report them. */
  settle(settlements: readonly Settlement[], entries: readonly ClaimedEntry[]): void;
}

/**
 * Send everything due now with `maxInFlight` workers, each with at most one request on the wire; resolves when
 * none finds more work (or sending must stop).
 *
 * @param deps - the engine around the workers
 */
export async function runWorkers(deps: WorkerDeps): Promise<void> {
  await Promise.all(Array.from({ length: deps.config.maxInFlight }, () => worker(deps)));
}

/** A leased page and the rate-budget slot its first request will use. */
interface Page {
  readonly entries: ClaimedEntry[];
  readonly grant: RateGrant;
}

/** Lease the next page once a slot of the rate budget is in hand; `undefined` when nothing is due or sending must stop. */
async function nextPage(deps: WorkerDeps): Promise<Page | undefined> {
  const { config, outbox } = deps;
  if (!deps.canSend()) return undefined;
  const due = outbox.nextDueAt();
  if (due === null || due > deps.now()) return undefined;
  const grant = await deps.acquire();
  if (grant === undefined) return undefined;
  let entries: ClaimedEntry[] = [];
  try {
    if (deps.canSend()) {
      entries = outbox.claim({
        limit: config.batchSize,
        maxBytes: deps.maxBatchBytes(),
        leaseMs: config.leaseMs,
        owner: config.owner,
      });
    }
  } finally {
    if (entries.length === 0) grant.release();
  }
  return entries.length === 0 ? undefined : { entries, grant };
}

async function worker(deps: WorkerDeps): Promise<void> {
  let page = await nextPage(deps);
  // The previous batch, possibly still writing its settlements while the next request is on the wire.
  let previous: Promise<void> = Promise.resolve();
  try {
    while (page !== undefined) {
      let answered: () => void = () => {};
      const lastAnswer = new Promise<void>((resolve) => {
        answered = resolve;
      });
      const sending = sendBatch(deps.batch, page.entries, page.grant, () => answered());
      // Marked handled here; awaited (and so rethrown) before this worker ends.
      sending.catch(() => {});
      // Claiming and settling are synchronous SQLite work; doing them while a request is on the wire keeps them
      // off the critical path. Still one request in flight per worker: the next page goes out only once this
      // batch's last answer is in (its settlements are then written while the next request travels). The
      // claim waits for the next turn of the event loop: the request is written by then, so the server works
      // on it while this thread claims (claiming first would hold the request back by the claim's duration).
      const prefetch = nextTurn().then(() => nextPage(deps));
      await Promise.race([lastAnswer, sending]);
      await previous;
      previous = sending;
      page = await prefetch;
      if (page === undefined) break;
      if (!deps.canSend()) {
        await sending;
        // Paused or stopping while the page waited: give it back untouched, its slot too.
        page.grant.release();
        deps.settle(
          releaseSettlements(page.entries, 'engine paused or stopping before sending', deps.now()),
          page.entries,
        );
        return;
      }
    }
  } finally {
    await previous;
  }
}
