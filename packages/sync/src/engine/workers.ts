import type { ClaimedEntry, DeliveryStore, ReleaseReason } from '@hubline/core/store';
import { describeError } from './describe-error.js';
import { nextTurn } from './next-turn.js';
import type { ResolvedSyncOptions } from './options.js';
import { type BatchContext, type Page, sendBatch } from './send-batch.js';
import { releasesOf } from './settlement.js';

/** What the workers of one pass need from the engine. */
export interface WorkerDeps {
  /** The engine's options: `maxInFlight`, `batchSize`, `leaseMs`, the owner. */
  readonly config: ResolvedSyncOptions;
  /** The store pages are claimed from. */
  readonly store: DeliveryStore;
  /** What each page's delivery needs from the lane. */
  readonly batch: BatchContext;
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

/**
 * Lease the next page once a slot of the rate budget is in hand; `undefined` when nothing is due, sending must
 * stop, or a 429 pause holds the budget (the pass ends, and the end of the pause starts the next one).
 *
 * @param deps - the engine around the workers
 * @param afterFullPage - the last page was full and requests are not paced, so more is most likely due and a slot
 *   comes at once: claim without asking the store first (a claim that finds nothing gives its slot back; asking
 *   costs a round trip per page on a server store). Paced, it asks: a slot may take a window to come, and waiting
 *   one out for nothing would hold up a flush and show `pacing` with nothing to send.
 */
async function nextPage(deps: WorkerDeps, afterFullPage: boolean): Promise<Page | undefined> {
  const { config, store, batch } = deps;
  if (batch.holdBack() !== undefined || batch.rateLimitedUntil() > batch.now()) return undefined;
  if (!afterFullPage) {
    // Nothing due: no slot of the rate budget is taken for nothing.
    const dueIn = await store.nextDueIn(batch.account);
    if (dueIn === null || dueIn > 0) return undefined;
  }
  const grant = await batch.acquire();
  if (grant === undefined) return undefined;
  let entries: readonly ClaimedEntry[] = [];
  const claimedAt = batch.now();
  try {
    if (batch.holdBack() === undefined) {
      entries = await store.claim({
        limit: config.batchSize,
        maxBytes: batch.maxBatchBytes(),
        leaseMs: config.leaseMs,
        owner: config.owner,
        account: batch.account,
      });
    }
  } finally {
    if (entries.length === 0) grant.release();
  }
  return entries.length === 0 ? undefined : { entries, grant, leaseEndsAt: claimedAt + config.leaseMs };
}

/**
 * Pages a worker may hold claimed ahead of the one on the wire while full pages keep coming and requests are not
 * paced: two, so that two claims run side by side and a claim that takes longer than a request (a server store,
 * whose claim is two round trips) stops setting the pace. The second page ahead goes out after two requests, so
 * only when its lease outlasts those and its own (`leaseMs` ≥ 3 × `requestTimeoutMs`; the default is 5 ×);
 * otherwise, as when paced or after a partial page, one.
 */
function pagesAheadWhenFull(config: ResolvedSyncOptions): number {
  return config.leaseMs >= 3 * config.requestTimeoutMs ? 2 : 1;
}

async function worker(deps: WorkerDeps): Promise<void> {
  const first = await nextPage(deps, false);
  // Claims of the pages to send next, oldest first.
  const ahead: Promise<Page | undefined>[] = first === undefined ? [] : [Promise.resolve(first)];
  // The previous batch, possibly still writing its settlements while the next request is on the wire.
  let previous: Promise<void> = Promise.resolve();
  try {
    while (ahead.length > 0) {
      const page = await ahead.shift();
      if (page === undefined) continue;
      const holdBack = deps.batch.holdBack();
      if (holdBack !== undefined) {
        // Paused or stopping while the page waited: give it back untouched, its slot too (even if the batch
        // before it failed to settle: that error is the one the worker ends with).
        try {
          await previous;
        } finally {
          await giveBack(deps, page, holdBack, `engine ${holdBack} before sending`);
        }
        continue;
      }
      let answered: () => void = () => {};
      const lastAnswer = new Promise<void>((resolve) => {
        answered = resolve;
      });
      const sending = sendBatch(deps.batch, page, () => answered());
      // Marked handled here; awaited (and so rethrown) before this worker ends.
      sending.catch(() => {});
      // Claiming and settling are store work; doing them while a request is on the wire keeps them off the
      // critical path. Still one request in flight per worker: the next page goes out only once this batch's
      // last answer is in (its settlements are then written while the next request travels). Each claim waits
      // for the next turn of the event loop: the request is written by then, so the server works on it while
      // this thread claims (claiming first would hold the request back by the claim's duration).
      const full = !deps.batch.paced && page.entries.length >= deps.config.batchSize;
      while (ahead.length < (full ? pagesAheadWhenFull(deps.config) : 1)) {
        const claim = nextTurn().then(() => nextPage(deps, full));
        // Marked handled here; awaited in turn (and so rethrown), or given back when the worker ends early.
        claim.catch(() => {});
        ahead.push(claim);
      }
      await Promise.race([lastAnswer, sending]);
      await previous;
      previous = sending;
    }
  } finally {
    await giveBackAhead(deps, ahead);
    await previous;
  }
}

/** Gives a claimed page back unsent, and its rate slot. */
async function giveBack(deps: WorkerDeps, page: Page, reason: ReleaseReason, detail: string): Promise<void> {
  page.grant?.release();
  await deps.batch.report.release(releasesOf(page.entries, reason, detail));
}

/**
 * The worker ended with claims still ahead (a claim or a send threw): their pages go back at once rather than
 * waiting out their leases. A failure here is logged, not thrown: the error that ended the worker is the one the
 * worker throws.
 */
async function giveBackAhead(deps: WorkerDeps, ahead: Promise<Page | undefined>[]): Promise<void> {
  for (const claim of ahead.splice(0)) {
    try {
      const page = await claim;
      if (page !== undefined) await giveBack(deps, page, 'not-sent', 'claimed ahead; the worker ended first');
    } catch (error) {
      deps.config.logger.warn(
        'a claim ahead failed, or its page could not be given back (its lease runs out)',
        {
          account: deps.batch.account,
          error: describeError(error),
        },
      );
    }
  }
}
