import { MAX_ATTEMPTS_CATEGORY } from '@hubline/core';
import type { EntryStatus, LifecycleEvent } from '@hubline/core/store';

/** One step of an event's story, in words. */
export interface HistoryStep {
  /** Its place in the event's history, from 1, as the outbox numbers it. */
  readonly seq: number;
  /** Epoch ms. */
  readonly at: number;
  /** The outbox's name for the step: `Recorded`, `Claimed`, `Failed`, `Delivered`, `DeadLettered`, … */
  readonly type: LifecycleEvent['type'];
  /** What happened, as a sentence (no internal ids such as the engine's lease owner). */
  readonly detail: string;
  /** The raw lifecycle event, for those who want every field. */
  readonly event: LifecycleEvent;
}

/** An event's story told for a person: how often it was sent, where it stands, and each step. */
export interface LifecycleSummary {
  /**
   * How many requests carried the event and were answered or lost on the way. Unlike the outbox's `attempts`
   * (failures that count against the retry budget), this includes the request that delivered it and one that
   * HubSpot refused outright, and leaves out events given back unsent (offline, 429 pause, engine stopping).
   */
  readonly sends: number;
  /** One line: e.g. `dead letter: sent 1×, refused by HubSpot: …` or `delivered: sent 3×`. */
  readonly headline: string;
  /** Every step of its history, oldest first, each told in a sentence. */
  readonly steps: readonly HistoryStep[];
}

const seconds = (ms: number): string => `${(Math.max(0, ms) / 1000).toFixed(1)} s`;

const times = (count: number): string => `${count}×`;

/** Whether a failure was a request that reached HubSpot (or got lost on the way), not events given back unsent. */
function wasSent(event: Extract<LifecycleEvent, { type: 'Failed' }>): boolean {
  return event.countsAsAttempt || event.status !== undefined;
}

/** A delivery, by its evidence: HubSpot's own result, an "already exists" verdict, or a read-back. */
function describeDelivered(event: Extract<LifecycleEvent, { type: 'Delivered' }>): string {
  if (event.evidence === 'read-back') return 'HubSpot has it: read back after answers that proved nothing';
  return event.alreadyExisted
    ? 'HubSpot already had it: an earlier answer was lost, and this re-send was recognised as "already exists"'
    : 'HubSpot stored it';
}

/** A failure: why, with the HTTP status when the reason does not already say it, what it cost and when the next try is. */
function describeFailed(event: Extract<LifecycleEvent, { type: 'Failed' }>, attemptsSoFar: number): string {
  const status =
    event.status === undefined || event.reason.includes(String(event.status))
      ? ''
      : ` (HTTP ${event.status})`;
  const next =
    event.nextAttemptAt - event.at < 100 ? 'at once' : `${seconds(event.nextAttemptAt - event.at)} later`;
  const reason = event.reason.replace(/\.$/, '');
  if (event.countsAsAttempt) return `${reason}${status}; attempt ${attemptsSoFar} used, next try ${next}`;
  const free = /no attempt used/.test(reason) ? '' : '; no attempt used';
  return `${reason}${status}${free}, next try ${next}`;
}

/** A dead letter: given up after too many attempts, or refused by HubSpot with its category and words. */
function describeDeadLettered(event: Extract<LifecycleEvent, { type: 'DeadLettered' }>): string {
  if (event.category === MAX_ATTEMPTS_CATEGORY) return `given up: ${event.message}`;
  // A 207 is the batch's status, not this event's: only an error status says something about it.
  const status = event.status === undefined || event.status < 400 ? '' : ` (HTTP ${event.status})`;
  return `refused by HubSpot${status}: ${event.category}: ${event.message}`;
}

function describeStep(event: LifecycleEvent, attemptsSoFar: number): string {
  switch (event.type) {
    case 'Recorded':
      return `stored in the outbox on the kiosk (${event.bytes} bytes)`;
    case 'Claimed':
      return 'picked up by the engine to send';
    case 'Delivered':
      return describeDelivered(event);
    case 'Released':
      return `given back unsent (${event.reason}): ${event.detail}; no attempt used`;
    case 'Failed':
      return describeFailed(event, attemptsSoFar);
    case 'DeadLettered':
      return describeDeadLettered(event);
    case 'Amended':
      return `amended${event.by === undefined ? '' : ` by ${event.by}`} before going back in line`;
    case 'Requeued':
      return `put back in line with a fresh set of attempts${event.by === undefined ? '' : ` by ${event.by}`}`;
    case 'LeaseExpired':
      return 'the engine did not report back in time; back in line, no attempt used';
    case 'Evicted':
      return `dropped from the outbox: ${event.reason}`;
    case 'ClockSteppedBack':
      return `the kiosk's clock went back ${seconds(event.stepMs)}; its wait was shortened to match`;
  }
}

/** What an event's history says so far, read step by step. */
interface Tally {
  /** Requests that carried it and were answered or lost. */
  readonly sends: number;
  /** Failures counted against its retry budget since it was last requeued. */
  readonly attempts: number;
  /** The step before this one. */
  readonly previous: LifecycleEvent['type'] | undefined;
  /** Whether its delivery was an "already exists" verdict. */
  readonly alreadyExisted: boolean;
  /** HubSpot's refusal (`category: message`), when that dead-lettered it. */
  readonly refusal: string | undefined;
  /** The last failure before it ran out of attempts, when that dead-lettered it. */
  readonly givenUp: string | undefined;
  /** The last failure's reason. */
  readonly lastFailure: string | undefined;
}

const EMPTY_TALLY: Tally = {
  sends: 0,
  attempts: 0,
  previous: undefined,
  alreadyExisted: false,
  refusal: undefined,
  givenUp: undefined,
  lastFailure: undefined,
};

function afterFailed(tally: Tally, event: Extract<LifecycleEvent, { type: 'Failed' }>): Tally {
  return {
    ...tally,
    sends: tally.sends + (wasSent(event) ? 1 : 0),
    attempts: tally.attempts + (event.countsAsAttempt ? 1 : 0),
    lastFailure: event.reason,
  };
}

function afterDeadLettered(tally: Tally, event: Extract<LifecycleEvent, { type: 'DeadLettered' }>): Tally {
  if (event.category === MAX_ATTEMPTS_CATEGORY) {
    return { ...tally, givenUp: tally.lastFailure ?? event.message, refusal: undefined };
  }
  return {
    ...tally,
    // Dead-lettered straight from a claim: HubSpot answered and refused it.
    sends: tally.sends + (tally.previous === 'Claimed' ? 1 : 0),
    refusal: `${event.category}: ${event.message}`,
    givenUp: undefined,
  };
}

/** The tally after one more step of the history. */
function advance(tally: Tally, event: LifecycleEvent): Tally {
  return { ...tallied(tally, event), previous: event.type };
}

function tallied(tally: Tally, event: LifecycleEvent): Tally {
  switch (event.type) {
    case 'Delivered':
      return { ...tally, sends: tally.sends + 1, alreadyExisted: event.alreadyExisted };
    case 'Failed':
      return afterFailed(tally, event);
    case 'DeadLettered':
      return afterDeadLettered(tally, event);
    case 'Requeued':
      return { ...tally, attempts: 0 };
    default:
      return tally;
  }
}

/** The headline for each status, from what the history says. */
const HEADLINES: { readonly [S in EntryStatus]: (tally: Tally) => string } = {
  delivered: ({ sends, alreadyExisted }) =>
    `delivered: sent ${times(sends)}${alreadyExisted ? ', confirmed by "already exists" after a lost answer' : ''}`,
  dead: ({ sends, refusal, givenUp }) =>
    refusal !== undefined
      ? `dead letter: sent ${times(sends)}, refused by HubSpot: ${refusal}`
      : `dead letter: sent ${times(sends)}, given up after too many failures; last: ${givenUp ?? 'unknown'}`,
  leased: ({ sends }) => `being sent now${sends > 0 ? ` (sent ${times(sends)} before)` : ''}`,
  evicted: () => 'dropped from the outbox before it could be delivered',
  pending: ({ sends, lastFailure }) =>
    sends === 0 && lastFailure === undefined
      ? 'waiting to be sent'
      : `waiting: sent ${times(sends)} so far${lastFailure === undefined ? '' : `; last error: ${lastFailure}`}`,
};

/**
 * Tell an event's story for the dashboard: each lifecycle step as a sentence, how many times it was really sent,
 * and one headline that says where it stands — true to what happened (a refused event was sent once, even though
 * it used no attempt) and without stale news (a delivered event's earlier error is in its steps, not its
 * headline).
 *
 * @param status - the entry's status now
 * @param history - `outbox.history(id)`, oldest first
 * @example
 * ```ts
 * const { headline } = describeLifecycle(entry.status, outbox.history(entry.id));
 * ```
 */
export function describeLifecycle(
  status: EntryStatus,
  history: readonly { readonly seq: number; readonly event: LifecycleEvent }[],
): LifecycleSummary {
  let tally = EMPTY_TALLY;
  const steps = history.map(({ seq, event }): HistoryStep => {
    tally = advance(tally, event);
    return { seq, at: event.at, type: event.type, detail: describeStep(event, tally.attempts), event };
  });
  return { sends: tally.sends, headline: HEADLINES[status](tally), steps };
}
