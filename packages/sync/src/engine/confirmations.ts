import type { EventOutcome, HttpAnswer } from '@hubline/core';

/**
 * What a lane knows of when each event in doubt may still land at HubSpot, for the events that used their last
 * attempt and are confirmed by read-back (v3). A read-back that finds nothing proves HubSpot lacks the event only
 * once no request of it can still land: until that moment, its horizon, "not found" means "not yet", and the event
 * is read back again with backoff, within the rate budget.
 *
 * A request that ended with an answer (a 5xx, a 2xx that proves nothing) is over: HubSpot stored the event or did
 * not, and a read-back sees which. One that may still be at work — no answer came (a timeout, a reset, a body cut
 * off), a gateway gave up waiting (504), or HubSpot accepted the batch without finishing it (`PENDING`,
 * `PROCESSING`) — may land until `confirmWindowMs` after it. The lane notes the horizon of every doubtful request
 * it settles; for an event it knows nothing of, requests made before it started (by an engine that crashed or
 * stopped) may still land until `confirmWindowMs` after its start.
 *
 * Memory: one small record per event in doubt while its horizon runs, and, during the first `confirmWindowMs`
 * after the lane starts, per event whose doubt the lane saw arise (that is what tells them from the events in doubt
 * from before the start). Settled events are forgotten at once.
 */
export interface Confirmations {
  /**
   * Note a doubtful outcome settled for an event.
   *
   * @param id - the event's id
   * @param landsBy - until when (scheduler ms) this request may still land: now when it ended with an answer
   * @param lastAttempt - whether the event used its last attempt, so it is confirmed by read-back from now on
   */
  noteDoubt(id: string, landsBy: number, lastAttempt: boolean): void;
  /**
   * Until when (scheduler ms) a request of `id` may still land, as far as this lane can know; the event is
   * counted as being confirmed from now on.
   *
   * @param id - the event's id
   */
  horizonOf(id: string): number;
  /**
   * How many read-backs of `id` found nothing yet, counting this one: the backoff step of the next.
   *
   * @param id - the event's id
   */
  notYet(id: string): number;
  /**
   * The event is settled for good (delivered or dead): stop tracking it.
   *
   * @param id - the event's id
   */
  forget(id: string): void;
  /** Events being confirmed (attempts used up, read back until HubSpot has them or cannot still get them). */
  readonly size: number;
}

/** What {@link createConfirmations} needs. */
export interface ConfirmationDeps {
  /** How long a request that may still be at work is waited for (`confirmWindowMs`). */
  readonly windowMs: number;
  /** Scheduler time now. */
  now(): number;
  /** Where the number of events being confirmed is shown (`stats$`'s `confirming`). */
  readonly counters: {
    /** Events being confirmed now; kept equal to {@link Confirmations.size}. */
    confirming: number;
  };
}

interface Doubt {
  horizon: number;
  rounds: number;
  confirming: boolean;
}

/**
 * Create what one lane knows of its events in doubt.
 *
 * @param deps - the window, the clock and the counters
 */
export function createConfirmations(deps: ConfirmationDeps): Confirmations {
  const { windowMs, counters } = deps;
  const startedAt = deps.now();
  const doubts = new Map<string, Doubt>();
  let confirming = 0;
  let nextPrune = startedAt + windowMs;

  const setConfirming = (doubt: Doubt): void => {
    if (doubt.confirming) return;
    doubt.confirming = true;
    counters.confirming = ++confirming;
  };
  const remove = (id: string): void => {
    const doubt = doubts.get(id);
    if (doubt === undefined) return;
    doubts.delete(id);
    if (doubt.confirming) counters.confirming = --confirming;
  };
  /**
   * Once the start is a window behind, an event not noted is one whose requests all landed or were answered, so
   * a record whose horizon passed says nothing a missing one does not. A lost lease leaves such records too.
   */
  const prune = (now: number): void => {
    if (now < nextPrune) return;
    nextPrune = now + Math.max(1000, windowMs / 10);
    for (const [id, doubt] of doubts) if (doubt.horizon < now) remove(id);
  };
  const doubtOf = (id: string): Doubt => {
    let doubt = doubts.get(id);
    if (doubt === undefined) {
      const now = deps.now();
      // Not seen by this lane: a request made before it started may still land.
      doubt = {
        horizon: Math.max(now, startedAt + windowMs),
        rounds: 0,
        confirming: false,
      };
      doubts.set(id, doubt);
    }
    return doubt;
  };

  return {
    noteDoubt(id, landsBy, lastAttempt) {
      prune(deps.now());
      const doubt = doubts.get(id);
      if (doubt === undefined) doubts.set(id, { horizon: landsBy, rounds: 0, confirming: false });
      else doubt.horizon = Math.max(doubt.horizon, landsBy);
      if (lastAttempt) setConfirming(doubts.get(id)!);
    },
    horizonOf(id) {
      const doubt = doubtOf(id);
      setConfirming(doubt);
      return doubt.horizon;
    },
    notYet(id) {
      const doubt = doubtOf(id);
      doubt.rounds += 1;
      return doubt.rounds;
    },
    forget: remove,
    get size() {
      return confirming;
    },
  };
}

/**
 * Whether HubSpot may still be working on the request this answer ended, so a read-back soon after proves
 * nothing: no answer came (timeout, reset, a body cut off), a gateway gave up waiting (504), or HubSpot accepted
 * the batch without finishing it.
 *
 * @param answer - what came back
 * @param outcome - the event's verdict
 */
export function mayStillLand(answer: HttpAnswer, outcome: EventOutcome | undefined): boolean {
  if (outcome?.type === 'unknown' && outcome.accepted === true) return true;
  return answer.kind === 'failure' || answer.status === 504;
}
