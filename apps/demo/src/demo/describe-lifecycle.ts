import { type EntryStatus, type LifecycleEvent, MAX_ATTEMPTS_CATEGORY } from '@hubline/core';

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

function describeStep(event: LifecycleEvent, attemptsSoFar: number): string {
  switch (event.type) {
    case 'Recorded':
      return `stored in the outbox on the kiosk (${event.bytes} bytes)`;
    case 'Claimed':
      return 'picked up by the engine to send';
    case 'Delivered':
      if (event.evidence === 'read-back')
        return 'HubSpot has it: read back after answers that proved nothing';
      return event.alreadyExisted
        ? 'HubSpot already had it: an earlier answer was lost, and this re-send was recognised as "already exists"'
        : 'HubSpot stored it';
    case 'Released':
      return `given back unsent (${event.reason}): ${event.detail}; no attempt used`;
    case 'Failed': {
      const status =
        event.status === undefined || event.reason.includes(String(event.status))
          ? ''
          : ` (HTTP ${event.status})`;
      const next =
        event.nextAttemptAt - event.at < 100 ? 'at once' : `${seconds(event.nextAttemptAt - event.at)} later`;
      const reason = event.reason.replace(/\.$/, '');
      return event.countsAsAttempt
        ? `${reason}${status}; attempt ${attemptsSoFar} used, next try ${next}`
        : `${reason}${status}${/no attempt used/.test(reason) ? '' : '; no attempt used'}, next try ${next}`;
    }
    case 'DeadLettered':
      return event.category === MAX_ATTEMPTS_CATEGORY
        ? `given up: ${event.message}`
        : // A 207 is the batch's status, not this event's: only an error status says something about it.
          `refused by HubSpot${event.status === undefined || event.status < 400 ? '' : ` (HTTP ${event.status})`}: ${event.category}: ${event.message}`;
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
  let sends = 0;
  let attempts = 0;
  let previous: LifecycleEvent['type'] | undefined;
  let alreadyExisted = false;
  let refusal: string | undefined;
  let givenUp: string | undefined;
  let lastFailure: string | undefined;
  const steps: HistoryStep[] = [];
  for (const { seq, event } of history) {
    if (event.type === 'Delivered') {
      sends += 1;
      alreadyExisted = event.alreadyExisted;
    } else if (event.type === 'Failed') {
      if (wasSent(event)) sends += 1;
      if (event.countsAsAttempt) attempts += 1;
      lastFailure = event.reason;
    } else if (event.type === 'DeadLettered') {
      if (event.category === MAX_ATTEMPTS_CATEGORY) {
        givenUp = lastFailure ?? event.message;
        refusal = undefined;
      } else {
        // Dead-lettered straight from a claim: HubSpot answered and refused it.
        if (previous === 'Claimed') sends += 1;
        refusal = `${event.category}: ${event.message}`;
        givenUp = undefined;
      }
    } else if (event.type === 'Requeued') {
      attempts = 0;
    }
    steps.push({ seq, at: event.at, type: event.type, detail: describeStep(event, attempts), event });
    previous = event.type;
  }

  let headline: string;
  switch (status) {
    case 'delivered':
      headline = `delivered: sent ${times(sends)}${alreadyExisted ? ', confirmed by "already exists" after a lost answer' : ''}`;
      break;
    case 'dead':
      headline =
        refusal !== undefined
          ? `dead letter: sent ${times(sends)}, refused by HubSpot: ${refusal}`
          : `dead letter: sent ${times(sends)}, given up after too many failures; last: ${givenUp ?? 'unknown'}`;
      break;
    case 'leased':
      headline = `being sent now${sends > 0 ? ` (sent ${times(sends)} before)` : ''}`;
      break;
    case 'evicted':
      headline = 'dropped from the outbox before it could be delivered';
      break;
    case 'pending':
      headline =
        sends === 0 && lastFailure === undefined
          ? 'waiting to be sent'
          : `waiting: sent ${times(sends)} so far${lastFailure === undefined ? '' : `; last error: ${lastFailure}`}`;
      break;
  }
  return { sends, headline, steps };
}
