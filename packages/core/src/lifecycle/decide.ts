import { ValidationError } from '../errors/validation-error.js';
import type { TimelineEvent } from '../event/types.js';
import { assertTransition, evolve } from './evolve.js';
import type { DeliveryEvidence, EntryState, LifecycleEvent, ReleaseReason } from './types.js';

/*
 * Command handlers: each turns a request about one entry into the lifecycle events to append, or throws.
 * Every handler checks its events by running them through `evolve`, so whatever a decision returns is
 * guaranteed to fold, and the outbox's projection (evolve applied to these events) equals the fold of its log.
 */

/** The dead-letter category the attempt policy uses when an entry runs out of attempts. */
export const MAX_ATTEMPTS_CATEGORY = 'MAX_ATTEMPTS';

/** What to claim with. */
export interface ClaimCommand {
  /** Claim time, epoch ms. */
  readonly at: number;
  /** Who takes the lease (an engine or process id). */
  readonly owner: string;
  /** How long the lease lasts, ms; must be positive. */
  readonly leaseMs: number;
}

/** A failed delivery attempt, as the engine reports it. */
export interface FailureReport {
  /** Who held the lease. */
  readonly owner: string;
  /** Why it failed, HubSpot's words where it gave any. */
  readonly reason: string;
  /** HTTP status, when HubSpot answered. */
  readonly status?: number;
  /** Whether this failure uses up one of `maxAttempts` (being offline does not). */
  readonly countsAsAttempt: boolean;
  /**
   * Whether HubSpot may have the event after all (a 5xx, a timeout, a 2xx that is not HubSpot's batch answer).
   * Such a failure never dead-letters the entry: see {@link decideFailure}.
   * @default false
   */
  readonly outcomeUnknown?: boolean;
  /**
   * Earliest time of the next attempt, epoch ms. A time before the settle time means "at once" and is recorded as
   * the settle time: the engine reads its clock before the outbox stamps the settlement.
   */
  readonly nextAttemptAt: number;
}

/** A definitive refusal: the entry goes to the dead letters. */
export interface DeadLetterReport {
  /** Who held the lease; omitted for a decision made without one (an operator). */
  readonly owner?: string;
  /** HubSpot's error category (or Hubline's, e.g. {@link MAX_ATTEMPTS_CATEGORY}). */
  readonly category: string;
  /** HubSpot's message. */
  readonly message: string;
  /** HTTP status, when HubSpot answered. */
  readonly status?: number;
}

/** A lease given back unsent, as the engine reports it. */
export interface ReleaseReport {
  /** Who held the lease. */
  readonly owner: string;
  /** Why it was given back. */
  readonly reason: ReleaseReason;
  /** The holder's words. */
  readonly detail: string;
  /**
   * Earliest time of the next attempt, epoch ms. A time before the release time means "at once" and is recorded
   * as the release time.
   */
  readonly nextAttemptAt: number;
}

/** How one leased entry's delivery ended, as the engine reports it to `outbox.settle`. */
export type SettleCommand =
  /** HubSpot has the event. */
  | {
      readonly outcome: 'delivered';
      /** Who held the lease. */
      readonly owner: string;
      /** Whether HubSpot said the id already existed rather than creating it now. */
      readonly alreadyExisted: boolean;
      /** What proved it, when the engine knows. */
      readonly evidence?: DeliveryEvidence;
    }
  /** The attempt failed; see {@link FailureReport}. */
  | ({ readonly outcome: 'failed' } & FailureReport)
  /** HubSpot definitively refused the event; see {@link DeadLetterReport}. */
  | ({ readonly outcome: 'dead' } & DeadLetterReport);

const UNLIMITED: AttemptPolicy = { maxAttempts: Number.POSITIVE_INFINITY };

/** The attempt policy. */
export interface AttemptPolicy {
  /**
   * Attempts (failures that count) an entry may use before it is dead-lettered: an integer ≥ 1, or
   * `Infinity` to leave giving up to the caller.
   */
  readonly maxAttempts: number;
}

/**
 * Records a new entry.
 *
 * @param state - the entry's state; must be `undefined` (no entry yet)
 * @param at - record time, epoch ms
 * @param bytes - the stored event's serialised size
 * @throws {@link LifecycleError} when the entry already exists
 */
export function decideRecord(state: EntryState | undefined, at: number, bytes: number): LifecycleEvent[] {
  return checked(state, [{ type: 'Recorded', at, bytes }]);
}

/**
 * Leases an entry to `owner` for `leaseMs`. A leased entry whose lease has run out is taken over: the
 * decision is then `LeaseExpired` for the old owner followed by `Claimed`.
 *
 * @param state - the entry's state
 * @param options - claim time, owner and lease length
 * @returns the events to append, in order
 * @throws {@link LifecycleError} when the entry is not due, is leased with a running lease, or is terminal
 * @example
 * ```ts
 * const events = decideClaim(state, { at: clock.now(), owner: 'engine-1', leaseMs: 30_000 });
 * ```
 */
export function decideClaim(state: EntryState | undefined, options: ClaimCommand): LifecycleEvent[] {
  const { at, owner, leaseMs } = options;
  if (!(leaseMs > 0)) {
    throw new ValidationError('claim options', [
      { path: 'leaseMs', message: `must be positive, got ${leaseMs}` },
    ]);
  }
  const claim: LifecycleEvent = { type: 'Claimed', at, owner, leaseUntil: at + leaseMs };
  return checked(state, afterExpiryIfLapsed(state, at, claim));
}

/**
 * Ends a lease that has run out, or whose holder's process is gone, so the entry is pending and due again. No
 * attempt is used.
 *
 * @param state - the entry's state; must be leased, with `leaseUntil <= at` unless `options.ownerGone`
 * @param at - the time, epoch ms
 * @param options - `ownerGone`: the process holding the lease is gone (the store checked), so the lease ends
 *   now whatever its `leaseUntil`
 * @throws {@link LifecycleError} when the entry is not leased, or its lease still runs and its owner is not gone
 */
export function decideExpire(
  state: EntryState | undefined,
  at: number,
  options: { readonly ownerGone?: boolean } = {},
): LifecycleEvent[] {
  const owner = state?.leaseOwner ?? '';
  return checked(state, [
    options.ownerGone === true
      ? { type: 'LeaseExpired', at, owner, ownerGone: true }
      : { type: 'LeaseExpired', at, owner },
  ]);
}

/**
 * Gives a lease back unsent: the entry is pending again from `release.nextAttemptAt`, and no attempt is used.
 *
 * @param state - the entry's state; must be leased by `release.owner`
 * @param release - who gives it back, why, and when it may be tried again
 * @param at - the time, epoch ms
 * @throws {@link LifecycleError} when the entry is not leased by that owner (`checkTransition` kind `not-owner`
 * means the lease was lost)
 */
export function decideRelease(
  state: EntryState | undefined,
  release: ReleaseReport,
  at: number,
): LifecycleEvent[] {
  const { owner, reason, detail, nextAttemptAt } = release;
  return checked(state, [
    { type: 'Released', at, owner, reason, detail, nextAttemptAt: Math.max(nextAttemptAt, at) },
  ]);
}

/**
 * Moves a pending entry's next attempt, or a leased entry's lease end, back by a clock step the store detected,
 * so that the entry waits no longer than it would have without the step.
 *
 * @param state - the entry's state; pending or leased
 * @param at - the time, epoch ms, as the clock reads after the step
 * @param stepMs - how far the clock went back, ms; positive
 * @throws {@link LifecycleError} when the entry is neither pending nor leased, or the step is not positive
 */
export function decideClockStep(state: EntryState | undefined, at: number, stepMs: number): LifecycleEvent[] {
  return checked(state, [{ type: 'ClockSteppedBack', at, stepMs }]);
}

/**
 * Settles a delivery attempt: delivered, failed (through {@link decideFailure}) or dead-lettered.
 *
 * @param state - the entry's state; must be leased by the settlement's owner (a dead letter without owner excepted)
 * @param settlement - what happened
 * @param at - settle time, epoch ms
 * @param policy - the attempt policy applied to failures; @default `{ maxAttempts: Infinity }` (never gives up)
 * @throws {@link LifecycleError} when the entry is not leased by that owner (`checkTransition` kind `not-owner`
 * means the lease was lost)
 */
export function decideSettle(
  state: EntryState | undefined,
  settlement: SettleCommand,
  at: number,
  policy: AttemptPolicy = UNLIMITED,
): LifecycleEvent[] {
  switch (settlement.outcome) {
    case 'delivered': {
      const { owner, alreadyExisted, evidence } = settlement;
      return checked(state, [
        evidence === undefined
          ? { type: 'Delivered', at, owner, alreadyExisted }
          : { type: 'Delivered', at, owner, alreadyExisted, evidence },
      ]);
    }
    case 'failed': {
      const { outcome: _outcome, ...failure } = settlement;
      return decideFailure(state, failure, at, policy);
    }
    case 'dead': {
      const { outcome: _outcome, ...report } = settlement;
      return decideDeadLetter(state, report, at);
    }
  }
}

/**
 * Records a failed attempt and applies the attempt policy, the only place it lives: a failure that counts, whose
 * outcome is known (HubSpot did not take the event), and that uses the last allowed attempt is followed by
 * `DeadLettered` with category {@link MAX_ATTEMPTS_CATEGORY}, so the history keeps both the last failure and
 * the decision to give up. A failure whose outcome is unknown never gives up, even past `maxAttempts`: HubSpot
 * may have the event, so the entry stays pending (in doubt) for the engine to verify (a read-back, or a re-send
 * whose "already exists" is the evidence) and dead-letter only on evidence that HubSpot does not have it.
 *
 * @param state - the entry's state; must be leased by `failure.owner`
 * @param failure - the failed attempt
 * @param at - settle time, epoch ms
 * @param policy - the attempt policy
 * @returns `[Failed]`, or `[Failed, DeadLettered]` when the attempts are used up
 * @throws {@link LifecycleError} when the entry is not leased by that owner
 * @throws {@link ValidationError} when `maxAttempts` is neither an integer ≥ 1 nor `Infinity`
 */
export function decideFailure(
  state: EntryState | undefined,
  failure: FailureReport,
  at: number,
  policy: AttemptPolicy,
): LifecycleEvent[] {
  const { maxAttempts } = policy;
  if (!(maxAttempts === Number.POSITIVE_INFINITY || (Number.isInteger(maxAttempts) && maxAttempts >= 1))) {
    throw new ValidationError('attempt policy', [
      { path: 'maxAttempts', message: `must be an integer ≥ 1 or Infinity, got ${maxAttempts}` },
    ]);
  }
  const { owner, reason, status, countsAsAttempt, nextAttemptAt } = failure;
  const outcomeUnknown = failure.outcomeUnknown === true;
  const failed: LifecycleEvent = {
    type: 'Failed',
    at,
    owner,
    reason,
    ...(status === undefined ? {} : { status }),
    countsAsAttempt,
    ...(outcomeUnknown ? { outcomeUnknown: true as const } : {}),
    // A retry "not before" a moment already past is due now; `Failed` itself may not point before its own time.
    nextAttemptAt: Math.max(nextAttemptAt, at),
  };
  const attempts = (state?.attempts ?? 0) + (countsAsAttempt ? 1 : 0);
  // Only a counted failure gives up (being offline never dead-letters, even if maxAttempts was lowered since),
  // and only one whose outcome is known: an unknown outcome is never a reason to give an event up.
  if (!countsAsAttempt || outcomeUnknown || attempts < maxAttempts) return checked(state, [failed]);
  const giveUp: LifecycleEvent = {
    type: 'DeadLettered',
    at,
    category: MAX_ATTEMPTS_CATEGORY,
    message: maxAttemptsMessage(attempts, reason),
    ...(status === undefined ? {} : { status }),
  };
  return checked(state, [failed, giveUp]);
}

/**
 * The message of a {@link MAX_ATTEMPTS_CATEGORY} dead letter: the entry's real attempt count and its last error.
 * `decideFailure` writes it; an engine that gives an entry up on other evidence (a read-back that does not find
 * it after the attempts ran out) writes the same words.
 *
 * @param attempts - the attempts the entry used, as its state counts them
 * @param lastError - the last failure's reason
 * @example
 * ```ts
 * maxAttemptsMessage(5, 'HTTP 503'); // 'gave up after 5 attempts; last error: HTTP 503'
 * ```
 */
export function maxAttemptsMessage(attempts: number, lastError: string): string {
  return `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}; last error: ${lastError}`;
}

/**
 * Dead-letters an entry: HubSpot's definitive refusal of a leased entry, or a person's decision on a pending
 * one (then without `owner`).
 *
 * @param state - the entry's state; leased (by `report.owner` when given) or pending (without owner)
 * @param report - category, message and status
 * @param at - the time, epoch ms
 * @throws {@link LifecycleError} when the entry is terminal or leased by someone else
 */
export function decideDeadLetter(
  state: EntryState | undefined,
  report: DeadLetterReport,
  at: number,
): LifecycleEvent[] {
  const { owner, category, message, status } = report;
  return checked(state, [
    {
      type: 'DeadLettered',
      at,
      ...(owner === undefined ? {} : { owner }),
      category,
      message,
      ...(status === undefined ? {} : { status }),
    },
  ]);
}

/** A dead letter's event replaced before it is requeued: see {@link decideRequeue}. */
export interface Amendment {
  /** The event as stored before the amendment, kept in the history. */
  readonly previous: TimelineEvent;
  /** UTF-8 size of the amended event's JSON. */
  readonly bytes: number;
}

/**
 * Gives a dead entry another chance: pending, due at once, with a fresh attempt budget. With an amendment, an
 * `Amended` event (keeping the event it replaces) comes first.
 *
 * @param state - the entry's state; must be dead
 * @param at - the time, epoch ms
 * @param by - who asked (kept in the history)
 * @param amendment - the event it replaces and the amended event's size, when the event was changed
 * @returns `[Requeued]`, or `[Amended, Requeued]`
 * @throws {@link LifecycleError} when the entry is not dead
 */
export function decideRequeue(
  state: EntryState | undefined,
  at: number,
  by?: string,
  amendment?: Amendment,
): LifecycleEvent[] {
  const who = by === undefined ? {} : { by };
  const requeued: LifecycleEvent = { type: 'Requeued', at, ...who };
  if (amendment === undefined) return checked(state, [requeued]);
  const { previous, bytes } = amendment;
  return checked(state, [{ type: 'Amended', at, ...who, previous, bytes }, requeued]);
}

/**
 * Evicts an entry: to make room (capacity policy `evict-oldest`), or because its account was discarded. A pending
 * entry or a dead letter is evicted; a leased one only once its lease has run out (`LeaseExpired` then
 * `Evicted`), so an entry in flight is never evicted.
 *
 * @param state - the entry's state
 * @param at - the time, epoch ms
 * @param reason - which limit made room necessary
 * @throws {@link LifecycleError} when the entry is terminal or leased with a running lease
 */
export function decideEvict(state: EntryState | undefined, at: number, reason: string): LifecycleEvent[] {
  return checked(state, afterExpiryIfLapsed(state, at, { type: 'Evicted', at, reason }));
}

/** `[event]`, preceded by the `LeaseExpired` the entry needs first when its lease ran out by `at`. */
function afterExpiryIfLapsed(
  state: EntryState | undefined,
  at: number,
  event: LifecycleEvent,
): LifecycleEvent[] {
  const lapsed =
    state?.status === 'leased' &&
    state.leaseOwner !== null &&
    state.leaseUntil !== null &&
    at >= state.leaseUntil;
  return lapsed ? [{ type: 'LeaseExpired', at, owner: state.leaseOwner }, event] : [event];
}

/** Returns `events` after proving they fold onto `state`; throws the first refusal. */
function checked(state: EntryState | undefined, events: LifecycleEvent[]): LifecycleEvent[] {
  // Evolve through all but the last event (a later event may depend on an earlier one), then only check the
  // last: the caller evolves the events itself, so building the final state here would be thrown away.
  let before = state;
  for (let index = 0; index < events.length - 1; index++) before = evolve(before, events[index]!);
  const last = events[events.length - 1];
  if (last !== undefined) assertTransition(before, last);
  return events;
}
