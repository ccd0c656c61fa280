import {
  type GlobalSignal,
  type HttpAnswer,
  type Interpretation,
  PAYLOAD_TOO_LARGE_CATEGORY,
} from '@hubline/core';
import type { ClaimedEntry, ReleaseReason, Settlement } from '@hubline/core/store';
import type { RateGrant } from '../contracts.js';
import { type Confirmations, mayStillLand } from './confirmations.js';
import type { BatchExchange, ExchangeResult, TokenTrouble } from './exchange.js';
import { nextTurn } from './next-turn.js';
import type { ResolvedSyncOptions } from './options.js';
import type { SettleAndReport } from './settle-and-report.js';
import { releasesOf, type SettlementPolicy, toSettlement } from './settlement.js';
import { verifyInDoubt } from './verify-in-doubt.js';

/** A pause the whole engine enters after a global signal. */
export interface EnginePause {
  /** The state `status$` shows meanwhile. */
  readonly state: 'offline' | 'unauthorized' | 'forbidden' | 'backing-off';
  /** Why, secret-free: HubSpot's or the token source's words. */
  readonly reason: string;
  /** When to try again (probe, token, send), scheduler epoch ms. */
  readonly until: number;
}

/** A claimed page on its way: its entries, the rate slot for its first request, and when its lease ends. */
export interface Page {
  /** The claimed entries, oldest due first. */
  readonly entries: readonly ClaimedEntry[];
  /** A slot of the rate budget already acquired for the first request, if any; used or released by the send. */
  readonly grant: RateGrant | undefined;
  /** When the lease ends by the engine's clock (the claim's time plus `leaseMs`). */
  readonly leaseEndsAt: number;
}

/** What {@link sendBatch} needs from the engine around it. */
export interface BatchContext {
  /** The engine's options. */
  readonly options: ResolvedSyncOptions;
  /** The account this batch belongs to: claims take only its entries. */
  readonly account: string;
  /** Scheduler time now. */
  now(): number;
  /** Current byte budget per request (lowered after a 413). */
  maxBatchBytes(): number;
  /** Lower the byte budget per request (never raises it): HubSpot answered 413 for `toBytes` or more. */
  shrinkMaxBatchBytes(toBytes: number): void;
  /** Wait for a slot of the rate budget; `undefined` when the engine is stopping and the wait was abandoned. */
  acquire(): Promise<RateGrant | undefined>;
  /** Whether {@link BatchContext.acquire} may have to wait for a slot (requests are paced). */
  readonly paced: boolean;
  /** Requests to HubSpot: batches and read-backs. */
  readonly exchange: BatchExchange;
  /** Until when (scheduler epoch ms) the shared rate budget is paused by a 429, or 0. */
  rateLimitedUntil(): number;
  /** Why the engine may not send now (`stopping`, or `paused`), or `undefined` when it may. */
  holdBack(): ReleaseReason | undefined;
  /** Write settlements and releases to the store and report them. */
  readonly report: SettleAndReport;
  /** A global signal arrived: pace, pause, or say so. */
  onSignal(signal: Exclude<GlobalSignal, { type: 'payload-too-large' }>): void;
  /** No access token could be had: pause as it says. */
  onTokenTrouble(trouble: TokenTrouble): void;
  /** Delay before retry number `retry`. */
  backoff(retry: number): number;
  /** The events whose last attempt left them in doubt, and until when a request of theirs may still land. */
  readonly confirmations: Confirmations;
}

/**
 * Deliver one claimed page: verify what is in doubt, send the rest, settle each event by its verdict, and bisect
 * the events HubSpot refused as a group until each has its own verdict — all while still holding the lease. Every
 * entry claimed is settled or released before this returns, whatever happens (a global signal, the engine
 * stopping, a thrown error).
 *
 * @param context - the engine around the batch
 * @param page - the claimed page, its first rate slot and its lease's end
 * @param onLastAnswer - called once the answer that ends this page's requests is in and no further request of
 *   it will follow; the settling then waits one macrotask, so a next request started from here is on the wire
 *   while this page's settlements are written
 */
export async function sendBatch(context: BatchContext, page: Page, onLastAnswer?: () => void): Promise<void> {
  await new BatchRun(context, page, onLastAnswer).run();
}

/** One page's delivery: the groups left to send and the rate slot in hand. */
class BatchRun {
  readonly #context: BatchContext;
  readonly #leaseEndsAt: number;
  readonly #policy: SettlementPolicy;
  /** Groups still to send; bisection pushes halves so the older half goes first. */
  readonly #stack: ClaimedEntry[][];
  /** The slot for the next request; whatever is left unused is given back at the end. */
  #grant: RateGrant | undefined;
  #onLastAnswer: (() => void) | undefined;

  constructor(context: BatchContext, page: Page, onLastAnswer: (() => void) | undefined) {
    this.#context = context;
    this.#leaseEndsAt = page.leaseEndsAt;
    this.#policy = { maxAttempts: context.options.maxAttempts, backoff: context.backoff };
    this.#stack = [[...page.entries]];
    this.#grant = page.grant;
    this.#onLastAnswer = onLastAnswer;
  }

  async run(): Promise<void> {
    try {
      const toSend = await verifyInDoubt(this.#context, this.#stack.pop() ?? [], {
        grant: () => this.#takeGrant(),
        policy: this.#policy,
        leaseEndsAt: this.#leaseEndsAt,
      });
      if (toSend === undefined) return; // verification paused or stopped the engine; everything was given back
      if (toSend.length > 0) this.#stack.push(toSend);
      while (this.#stack.length > 0) {
        if (!(await this.#sendNext())) return;
      }
    } catch (error) {
      await this.#releaseAll('not-sent', 'engine error; released for a later retry').catch(() => {
        // The store itself failed; the leases expire on their own and the entries are claimed again.
      });
      throw error;
    } finally {
      this.#grant?.release();
    }
  }

  /** The rate slot for the next request: the one in hand, or a fresh one; `undefined` when stopping. */
  async #takeGrant(): Promise<RateGrant | undefined> {
    const grant = this.#grant ?? (await this.#context.acquire());
    this.#grant = undefined;
    return grant;
  }

  /** Sends the group on top of the stack; `false` when the run is over (everything left was given back). */
  async #sendNext(): Promise<boolean> {
    const context = this.#context;
    const group = this.#stack.at(-1)!;
    if (!(await this.#mayStillSend())) return false;
    const groupBytes = group.reduce((sum, entry) => sum + entry.bytes, 0);
    if (group.length > 1 && groupBytes > context.maxBatchBytes()) {
      this.#stack.pop();
      pushHalves(this.#stack, group);
      return true;
    }
    const grant = await this.#takeGrant();
    if (grant === undefined) {
      await this.#releaseAll('stopping', 'engine stopped while waiting for the rate budget');
      return false;
    }
    this.#grant = grant;
    if (!(await this.#mayStillSend())) return false;
    this.#grant = undefined;
    const exchanged = await context.exchange.send(group, grant);
    return this.#handle(group, groupBytes, exchanged);
  }

  /** Whether the group on top may go now; if not, everything held is given back and `false` returned. */
  async #mayStillSend(): Promise<boolean> {
    const context = this.#context;
    const reason = context.holdBack();
    if (reason !== undefined) {
      await this.#releaseAll(
        reason,
        `engine ${reason === 'stopping' ? 'stopping' : 'paused'} before sending`,
      );
      return false;
    }
    if (context.now() + context.options.requestTimeoutMs > this.#leaseEndsAt) {
      // Sending now could outlive the lease and overlap another holder's request: give the events back.
      await this.#releaseAll('not-sent', 'lease about to expire before sending');
      return false;
    }
    if (context.rateLimitedUntil() > context.now()) {
      // A 429 (here or in an engine sharing the budget) arrived after this page was claimed. The events keep
      // their place in line: the budget's pause is what holds them.
      await this.#releaseAll('paused', 'rate limited: not sent, no attempt used');
      return false;
    }
    return true;
  }

  /** Acts on one answer to `group`; `false` when the run is over. */
  async #handle(group: ClaimedEntry[], groupBytes: number, exchanged: ExchangeResult): Promise<boolean> {
    const context = this.#context;
    if (exchanged === undefined) {
      await this.#releaseAll(context.holdBack() ?? 'paused', 'engine stopped or paused before sending');
      return false;
    }
    if ('noToken' in exchanged) {
      context.onTokenTrouble(exchanged.noToken);
      await this.#releaseAll('paused', `${exchanged.noToken.reason}; not sent, no attempt used`);
      return false;
    }
    const { answer, interpretation } = exchanged;
    if (answer.kind === 'failure' && answer.failure === 'aborted') {
      await this.#releaseAll(
        'stopping',
        'request aborted (engine stopping); HubSpot may have stored it, ids are fixed',
      );
      return false;
    }
    const signal = interpretation.signal;
    if (signal?.type === 'payload-too-large') {
      context.shrinkMaxBatchBytes(Math.min(signal.maxBytes, Math.floor(groupBytes / 2)));
      this.#stack.pop();
      if (group.length > 1) pushHalves(this.#stack, group);
      else await context.report.settle([this.#tooLarge(group[0]!, interpretation)], group);
      return true;
    }
    if (signal !== undefined) {
      this.#stack.pop();
      context.onSignal(signal);
      // A group HubSpot answered (429, 401, 403) reached it and was turned away whole: its history keeps the
      // status, and it keeps its place in line (the pause holds it). Without an answer (offline) nothing left.
      if (answer.kind === 'response') {
        const reason = `${signal.type}: HubSpot answered ${answer.status}, no attempt used`;
        const turnedAway = group.map((entry) =>
          toSettlement(
            {
              type: 'retry',
              id: entry.id,
              reason,
              status: answer.status,
              countsAsAttempt: false,
              delayMs: 0,
            },
            entry,
            this.#policy,
          ),
        );
        await context.report.settle(turnedAway, group);
      } else {
        this.#stack.push(group);
      }
      await this.#releaseAll('paused', `${signal.type}: not sent, no attempt used`);
      return false;
    }
    await this.#settleVerdicts(group, answer, interpretation);
    return true;
  }

  /** Settles each event of an answered group by its verdict, and queues the ones refused as a group. */
  async #settleVerdicts(
    group: ClaimedEntry[],
    answer: HttpAnswer,
    interpretation: Interpretation,
  ): Promise<void> {
    this.#stack.pop();
    const settlements: Settlement[] = [];
    const settled: ClaimedEntry[] = [];
    const isolated: ClaimedEntry[] = [];
    group.forEach((entry, index) => {
      const outcome = interpretation.outcomes[index];
      if (outcome?.type === 'isolate' && group.length > 1) {
        isolated.push(entry);
        return;
      }
      // No verdict, or alone and still refused as a group: nothing proves either way, and it counts, so a
      // confusing answer cannot loop forever.
      const verdict =
        outcome === undefined || outcome.type === 'isolate'
          ? {
              type: 'unknown' as const,
              id: entry.id,
              countsAsAttempt: true,
              reason: outcome?.reason ?? 'the answer gave no verdict for this event',
              ...(outcome?.status === undefined ? {} : { status: outcome.status }),
            }
          : outcome;
      const settlement = toSettlement(verdict, entry, this.#policy);
      this.#noteDoubt(entry, settlement, mayStillLand(answer, outcome));
      settlements.push(settlement);
      settled.push(entry);
    });
    if (this.#onLastAnswer !== undefined && isolated.length === 0 && this.#stack.length === 0) {
      this.#onLastAnswer();
      this.#onLastAnswer = undefined;
      await nextTurn();
    }
    await this.#context.report.settle(settlements, settled);
    // Refused as a group with others that got a verdict (a 409 naming the ids that exist, a 207 silent about
    // some): the rest go again together; the group shrank, so this ends. Refused all together: bisect.
    if (isolated.length > 0 && isolated.length < group.length) this.#stack.push(isolated);
    else if (isolated.length > 0) pushHalves(this.#stack, isolated);
  }

  /**
   * Tells the lane's confirmations what this settlement means for when the event may still land at HubSpot (only
   * dialects with a read-back confirm that way): a doubtful outcome notes its request's horizon, and whether the
   * event used its last attempt; a delivery or a dead letter ends the doubt.
   */
  #noteDoubt(entry: ClaimedEntry, settlement: Settlement, unfinished: boolean): void {
    const { options, confirmations } = this.#context;
    if (options.dialect.readBack === undefined) return;
    if (settlement.type !== 'failed') {
      confirmations.forget(entry.id);
      return;
    }
    if (settlement.outcomeUnknown !== true) return;
    const attempts = entry.attempts + (settlement.countsAsAttempt ? 1 : 0);
    const landsBy = this.#context.now() + (unfinished ? options.confirmWindowMs : 0);
    confirmations.noteDoubt(entry.id, landsBy, attempts >= options.maxAttempts);
  }

  /** A lone event answered 413: HubSpot's own verdict if it gave one, else too large even alone. */
  #tooLarge(entry: ClaimedEntry, interpretation: Interpretation): Settlement {
    const verdict = interpretation.outcomes[0];
    if (verdict?.type === 'dead') return toSettlement(verdict, entry, this.#policy);
    return {
      id: entry.id,
      type: 'dead',
      category: PAYLOAD_TOO_LARGE_CATEGORY,
      message: `HubSpot refused the event as too large (${entry.bytes} bytes) even on its own`,
      status: 413,
    };
  }

  /** Gives back every entry still held, unsent. */
  async #releaseAll(reason: ReleaseReason, detail: string): Promise<void> {
    const held = this.#stack.splice(0).flat();
    await this.#context.report.release(releasesOf(held, reason, detail));
  }
}

function pushHalves(stack: ClaimedEntry[][], group: readonly ClaimedEntry[]): void {
  const middle = Math.ceil(group.length / 2);
  const first = group.slice(0, middle);
  const second = group.slice(middle);
  if (second.length > 0) stack.push(second);
  stack.push(first);
}
