import { type GlobalSignal, PAYLOAD_TOO_LARGE_CATEGORY } from '@hubline/core';
import type { ClaimedEntry, Settlement } from '@hubline/outbox';
import type { RateGrant } from '../contracts.js';
import type { ExchangeResult, TokenTrouble } from './exchange.js';
import { nextTurn } from './next-turn.js';
import type { ResolvedSyncOptions } from './options.js';
import { releaseSettlements, toSettlement } from './settlement.js';

/** A pause the whole engine enters after a global signal. */
export interface EnginePause {
  readonly state: 'offline' | 'unauthorized' | 'forbidden' | 'backing-off';
  readonly reason: string;
  readonly until: number;
}

/** What {@link sendBatch} needs from the engine around it. */
export interface BatchContext {
  readonly options: ResolvedSyncOptions;
  now(): number;
  /** Current byte budget per request (lowered after a 413). */
  maxBatchBytes(): number;
  shrinkMaxBatchBytes(toBytes: number): void;
  /** Wait for a slot of the rate budget; `undefined` when the engine is stopping and the wait was abandoned. */
  acquire(): Promise<RateGrant | undefined>;
  /**
   * Send one request for these entries (one fresh token on 401 included) and interpret the answer; `undefined`
   * when nothing was sent because the engine stopped or paused while the access token was on its way.
   */
  exchange(entries: readonly ClaimedEntry[], grant: RateGrant): Promise<ExchangeResult | undefined>;
  /** Until when (scheduler epoch ms) the shared rate budget is paused by a 429, or 0. */
  rateLimitedUntil(): number;
  /** Whether the engine must stop sending now (stopping without drain, or paused). */
  mustStop(): boolean;
  /** Record settlements in the outbox and report them. */
  settle(settlements: readonly Settlement[], entries: readonly ClaimedEntry[]): void;
  /** A global signal arrived: pace, pause, or say so. */
  onSignal(signal: Exclude<GlobalSignal, { type: 'payload-too-large' }>): void;
  /** No access token could be had: pause as it says. */
  onTokenTrouble(trouble: TokenTrouble): void;
  /** Delay before retry number `retry`. */
  backoff(retry: number): number;
}

/**
 * Deliver one claimed batch: send it, settle each event by its verdict, and bisect the events HubSpot refused as
 * a group until each has its own verdict — all while still holding the lease. Every entry claimed is settled or
 * released before this returns, whatever happens (a global signal, the engine stopping, a thrown error).
 *
 * @param context - the engine around the batch
 * @param entries - the claimed page
 * @param firstGrant - a slot of the rate budget already acquired for the first request, if any; it is used or
 *   released before this returns
 * @param onLastAnswer - called once the answer that ends this batch's requests is in and no further request of
 *   it will follow; the settling then waits one macrotask, so a next request started from here is on the wire
 *   while this batch's settlements are written
 */
export async function sendBatch(
  context: BatchContext,
  entries: readonly ClaimedEntry[],
  firstGrant: RateGrant | undefined,
  onLastAnswer?: () => void,
): Promise<void> {
  const { options } = context;
  // Groups still to send; bisection pushes halves so the older half goes first.
  const stack: ClaimedEntry[][] = [[...entries]];
  // The slot for the next request; whatever is left unused is given back in `finally`.
  let grant = firstGrant;
  // The group being sent, so an unexpected throw can still release it.
  let current: ClaimedEntry[] | undefined;
  const releaseAll = (reason: string, nextAttemptAt: number): void => {
    const held = stack.splice(0).flat();
    if (held.length > 0) context.settle(releaseSettlements(held, reason, nextAttemptAt), held);
  };

  try {
    while (stack.length > 0) {
      if (context.mustStop()) return releaseAll('engine stopped or paused before sending', context.now());
      const group = stack[stack.length - 1]!;
      let leaseUntil = Number.POSITIVE_INFINITY;
      for (const entry of group) if (entry.leaseUntil < leaseUntil) leaseUntil = entry.leaseUntil;
      if (context.now() + options.requestTimeoutMs > leaseUntil) {
        // Sending now could outlive the lease and overlap another holder's request: give the events back.
        return releaseAll('lease about to expire before sending', context.now());
      }
      const groupBytes = group.reduce((sum, entry) => sum + entry.bytes, 0);
      if (group.length > 1 && groupBytes > context.maxBatchBytes()) {
        stack.pop();
        pushHalves(stack, group);
        continue;
      }
      grant ??= await context.acquire();
      if (grant === undefined) {
        return releaseAll('engine stopped while waiting for the rate budget', context.now());
      }
      if (context.mustStop()) return releaseAll('engine stopped or paused before sending', context.now());
      const pausedUntil = context.rateLimitedUntil();
      if (pausedUntil > context.now()) {
        // A 429 (here or in an engine sharing the budget) arrived after this page was claimed.
        return releaseAll('rate limited: not sent, no attempt used', pausedUntil);
      }
      current = stack.pop();

      const sendingGrant = grant;
      grant = undefined;
      const exchanged = await context.exchange(group, sendingGrant);
      if (exchanged === undefined) {
        current = undefined;
        stack.push(group);
        return releaseAll('engine stopped or paused before sending', context.now());
      }
      if ('noToken' in exchanged) {
        current = undefined;
        stack.push(group);
        context.onTokenTrouble(exchanged.noToken);
        return releaseAll(`${exchanged.noToken.reason}; not sent, no attempt used`, context.now());
      }
      const { answer, interpretation } = exchanged;
      const now = context.now();
      if (answer.kind === 'failure' && answer.failure === 'aborted') {
        current = undefined;
        stack.push(group);
        return releaseAll(
          'request aborted (engine stopping); HubSpot may have stored it, ids are fixed',
          now,
        );
      }

      const signal = interpretation.signal;
      if (signal?.type === 'payload-too-large') {
        context.shrinkMaxBatchBytes(Math.min(signal.maxBytes, Math.floor(groupBytes / 2)));
        if (group.length > 1) {
          current = undefined;
          pushHalves(stack, group);
        } else {
          const entry = group[0]!;
          const verdict = interpretation.outcomes[0];
          const settlement: Settlement =
            verdict?.type === 'dead'
              ? toSettlement(verdict, entry, {
                  now,
                  maxAttempts: options.maxAttempts,
                  backoff: context.backoff,
                })
              : {
                  id: entry.id,
                  type: 'dead',
                  category: PAYLOAD_TOO_LARGE_CATEGORY,
                  message: `HubSpot refused the event as too large (${entry.bytes} bytes) even on its own`,
                  status: 413,
                };
          context.settle([settlement], group);
          current = undefined;
        }
        continue;
      }
      if (signal !== undefined) {
        current = undefined;
        context.onSignal(signal);
        const until = signal.type === 'rate-limited' ? now + signal.delayMs : now;
        // A group HubSpot answered (429, 401, 403) reached it and was turned away whole: its history keeps the
        // status. A signal without an answer (offline: no connection) means nothing was sent.
        if (answer.kind === 'response') {
          const reason = `${signal.type}: HubSpot answered ${answer.status}, no attempt used`;
          context.settle(releaseSettlements(group, reason, until, answer.status), group);
        } else {
          stack.push(group);
        }
        return releaseAll(`${signal.type}: not sent, no attempt used`, until);
      }

      const settlements: Settlement[] = [];
      const settled: ClaimedEntry[] = [];
      const isolated: ClaimedEntry[] = [];
      const policy = { now, maxAttempts: options.maxAttempts, backoff: context.backoff };
      group.forEach((entry, index) => {
        const outcome = interpretation.outcomes[index] ?? {
          type: 'retry' as const,
          id: entry.id,
          countsAsAttempt: true,
          reason: 'the answer gave no verdict for this event',
        };
        if (outcome.type === 'isolate') {
          if (group.length > 1) {
            isolated.push(entry);
            return;
          }
          // Alone and still refused as a group: count it, so a confusing answer cannot loop forever.
          settlements.push(
            toSettlement(
              {
                type: 'retry',
                id: entry.id,
                countsAsAttempt: true,
                reason: outcome.reason,
                ...statusOf(outcome),
              },
              entry,
              policy,
            ),
          );
        } else {
          settlements.push(toSettlement(outcome, entry, policy));
        }
        settled.push(entry);
      });
      if (onLastAnswer !== undefined && isolated.length === 0 && stack.length === 0) {
        onLastAnswer();
        onLastAnswer = undefined;
        await nextTurn();
      }
      if (settlements.length > 0) context.settle(settlements, settled);
      current = undefined;
      // Refused as a group with others that got a verdict (a 409 naming the ids that exist, a 207 silent about
      // some): the rest go again together; the group shrank, so this ends. Refused all together: bisect.
      if (isolated.length > 0 && isolated.length < group.length) stack.push(isolated);
      else if (isolated.length > 0) pushHalves(stack, isolated);
    }
  } catch (error) {
    if (current !== undefined) stack.push(current);
    try {
      releaseAll('engine error; released for a later retry', context.now());
    } catch {
      // The outbox itself failed; the leases expire on their own and the entries are claimed again.
    }
    throw error;
  } finally {
    grant?.release();
  }
}

function pushHalves(stack: ClaimedEntry[][], group: readonly ClaimedEntry[]): void {
  const middle = Math.ceil(group.length / 2);
  const first = group.slice(0, middle);
  const second = group.slice(middle);
  if (second.length > 0) stack.push(second);
  stack.push(first);
}

function statusOf(outcome: { status?: number }): { status?: number } {
  return outcome.status === undefined ? {} : { status: outcome.status };
}
