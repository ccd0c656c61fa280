import { LifecycleError } from '../errors/lifecycle-error.js';
import type { EntryState, EntryStatus, LifecycleEvent } from './types.js';

/** The `from` name used for an entry that has no events yet. */
const ABSENT = 'absent';

/**
 * Why a lifecycle event was refused, so a caller can tell the cases apart: `not-owner` is a lost lease (the
 * outbox's `settle` reports those ids in its `lost` list rather than throwing), the rest are illegal
 * transitions.
 */
export type TransitionRefusalKind =
  /** The event never follows the entry's current status (e.g. `Delivered` after `DeadLettered`). */
  | 'illegal-state'
  /** The event names a lease owner that does not hold the entry's lease. */
  | 'not-owner'
  /** `Claimed` arrived before the entry's `nextAttemptAt`. */
  | 'not-due'
  /** `LeaseExpired` arrived before the lease's `leaseUntil`. */
  | 'lease-active'
  /**
   * The event contradicts itself or carries an unusable value: a lease that ends before it starts, a time that
   * is not finite, a negative or fractional size.
   */
  | 'invalid-event';

/** A refused transition: its kind and a sentence saying why. */
export interface TransitionRefusal {
  /** Which rule refused the event. */
  readonly kind: TransitionRefusalKind;
  /** Why, in plain words; also the detail of the {@link LifecycleError} that `evolve` throws. */
  readonly detail: string;
}

const TERMINAL: ReadonlySet<EntryStatus> = new Set<EntryStatus>(['delivered', 'dead', 'evicted']);

/**
 * Whether an entry with this status takes no further delivery events. `dead` is terminal for delivery but a
 * person may still `Requeued` it; `delivered` and `evicted` accept nothing at all.
 *
 * @param status - the entry's status
 */
export function isTerminal(status: EntryStatus): boolean {
  return TERMINAL.has(status);
}

/**
 * Whether an entry may be claimed at `at`: pending and due, or leased by someone whose lease has run out
 * (the claim then first appends `LeaseExpired`, see `decideClaim`). This is the predicate the outbox's
 * "due entries" query must match.
 *
 * @param state - the entry's state
 * @param at - the claim time, epoch ms
 */
export function isClaimable(state: EntryState, at: number): boolean {
  if (state.status === 'pending') return at >= state.nextAttemptAt;
  return state.status === 'leased' && state.leaseUntil !== null && at >= state.leaseUntil;
}

/**
 * Checks whether `event` may follow `state`, without throwing.
 *
 * @param state - the entry's state, `undefined` before `Recorded`
 * @param event - the candidate event
 * @returns `undefined` when the transition is legal, otherwise why it is refused
 */
export function checkTransition(
  state: EntryState | undefined,
  event: LifecycleEvent,
): TransitionRefusal | undefined {
  const problem = eventProblem(event);
  if (problem !== undefined) return refuse('invalid-event', problem);
  if (state === undefined) {
    return event.type === 'Recorded' ? undefined : refuse('illegal-state', 'the entry was never recorded');
  }
  const { status } = state;
  switch (event.type) {
    case 'Recorded':
      return refuse('illegal-state', 'the entry is already recorded');
    case 'Claimed':
      if (status === 'leased') {
        return refuse('illegal-state', 'the entry is leased; its lease must expire (LeaseExpired) first');
      }
      if (status !== 'pending') return refuse('illegal-state', `a ${status} entry is never claimed`);
      if (event.at < state.nextAttemptAt) {
        return refuse('not-due', `claimed at ${event.at}, before nextAttemptAt ${state.nextAttemptAt}`);
      }
      if (event.leaseUntil <= event.at) {
        return refuse(
          'invalid-event',
          `leaseUntil ${event.leaseUntil} is not after the claim at ${event.at}`,
        );
      }
      return undefined;
    case 'Delivered':
    case 'Failed':
    case 'Released':
      return checkLeaseHolder(state, event.owner);
    case 'DeadLettered':
      // A dead letter may be decided without a lease (an operator, or the max-attempts policy right after a
      // Failed); whoever names an owner must hold the lease.
      if (isTerminal(status)) return refuse('illegal-state', `a ${status} entry is never dead-lettered`);
      return event.owner === undefined ? undefined : checkLeaseHolder(state, event.owner);
    case 'Requeued':
      return status === 'dead' ? undefined : refuse('illegal-state', 'only a dead entry is requeued');
    case 'Amended':
      return status === 'dead' ? undefined : refuse('illegal-state', 'only a dead entry is amended');
    case 'LeaseExpired': {
      const refusal = checkLeaseHolder(state, event.owner);
      if (refusal !== undefined) return refusal;
      // A lease whose holder's process is gone ends at once: nobody can settle it any more.
      if (event.ownerGone === true) return undefined;
      const leaseUntil = state.leaseUntil ?? Number.POSITIVE_INFINITY;
      return event.at >= leaseUntil
        ? undefined
        : refuse('lease-active', `the lease runs until ${leaseUntil}, expiry claimed at ${event.at}`);
    }
    case 'Evicted':
      // A dead letter is evicted too when its account is discarded (an app uninstalled from that portal).
      return status === 'pending' || status === 'dead'
        ? undefined
        : refuse('illegal-state', 'only a pending entry or a dead letter is evicted (expire a lease first)');
    case 'ClockSteppedBack':
      return status === 'pending' || status === 'leased'
        ? undefined
        : refuse('illegal-state', `a ${status} entry waits for no time`);
  }
}

/**
 * Whether `event` may follow `state`.
 *
 * @param state - the entry's state, `undefined` before `Recorded`
 * @param event - the candidate event
 */
export function canTransition(state: EntryState | undefined, event: LifecycleEvent): boolean {
  return checkTransition(state, event) === undefined;
}

/**
 * Applies one lifecycle event to an entry's state. Pure: no clock, no I/O; every time comes from the event.
 *
 * @param state - the entry's state, `undefined` when the entry has no events yet
 * @param event - the event to apply
 * @returns the new state (a fresh object; `state` is not modified)
 * @throws {@link LifecycleError} (`ILLEGAL_TRANSITION`) when the event does not follow from `state`
 * @example
 * ```ts
 * let state = evolve(undefined, { type: 'Recorded', at: 1000, bytes: 312 });
 * state = evolve(state, { type: 'Claimed', at: 1000, owner: 'engine-1', leaseUntil: 31_000 });
 * state.status; // 'leased'
 * ```
 */
export function evolve(state: EntryState | undefined, event: LifecycleEvent): EntryState {
  assertTransition(state, event);
  if (state === undefined || event.type === 'Recorded') {
    // checkTransition admits Recorded only on an absent entry, and an absent entry only Recorded.
    const recorded = event as Extract<LifecycleEvent, { type: 'Recorded' }>;
    return {
      status: 'pending',
      attempts: 0,
      recordedAt: recorded.at,
      bytes: recorded.bytes,
      nextAttemptAt: recorded.at,
      leaseOwner: null,
      leaseUntil: null,
      lastError: null,
      updatedAt: recorded.at,
      inDoubt: false,
    };
  }
  switch (event.type) {
    case 'Claimed':
      return {
        status: 'leased',
        attempts: state.attempts,
        recordedAt: state.recordedAt,
        bytes: state.bytes,
        nextAttemptAt: state.nextAttemptAt,
        leaseOwner: event.owner,
        leaseUntil: event.leaseUntil,
        lastError: state.lastError,
        updatedAt: event.at,
        inDoubt: state.inDoubt,
      };
    case 'Delivered':
      return unleased(
        state,
        event.at,
        'delivered',
        state.attempts,
        state.nextAttemptAt,
        state.lastError,
        false,
      );
    case 'Failed':
      return unleased(
        state,
        event.at,
        'pending',
        state.attempts + (event.countsAsAttempt ? 1 : 0),
        event.nextAttemptAt,
        event.reason,
        event.outcomeUnknown === true,
      );
    case 'Released':
      return unleased(
        state,
        event.at,
        'pending',
        state.attempts,
        event.nextAttemptAt,
        state.lastError,
        state.inDoubt,
      );
    case 'DeadLettered':
      return unleased(
        state,
        event.at,
        'dead',
        state.attempts,
        state.nextAttemptAt,
        `${event.category}: ${event.message}`,
        state.inDoubt,
      );
    case 'Requeued':
      return unleased(state, event.at, 'pending', 0, event.at, state.lastError, false);
    case 'Amended':
      return { ...state, bytes: event.bytes, updatedAt: event.at };
    case 'LeaseExpired':
      return unleased(state, event.at, 'pending', state.attempts, event.at, state.lastError, state.inDoubt);
    case 'Evicted':
      return unleased(
        state,
        event.at,
        'evicted',
        state.attempts,
        state.nextAttemptAt,
        state.lastError,
        state.inDoubt,
      );
    case 'ClockSteppedBack':
      return stepBack(state, event.at, event.stepMs);
  }
}

/** The state after the clock stepped back by `stepMs`: the time the entry waits for moves back by as much. */
function stepBack(state: EntryState, at: number, stepMs: number): EntryState {
  const leased = state.status === 'leased' && state.leaseUntil !== null;
  return {
    ...state,
    nextAttemptAt: leased ? state.nextAttemptAt : state.nextAttemptAt - stepMs,
    leaseUntil: leased ? state.leaseUntil! - stepMs : state.leaseUntil,
    updatedAt: at,
  };
}

/**
 * The state after an event that ends any lease, built as one object literal (one allocation, one shape: this
 * runs twice per event on the outbox's hot path).
 */
function unleased(
  state: EntryState,
  at: number,
  status: EntryStatus,
  attempts: number,
  nextAttemptAt: number,
  lastError: string | null,
  inDoubt: boolean,
): EntryState {
  return {
    status,
    attempts,
    recordedAt: state.recordedAt,
    bytes: state.bytes,
    nextAttemptAt,
    leaseOwner: null,
    leaseUntil: null,
    lastError,
    updatedAt: at,
    inDoubt,
  };
}

/**
 * Throws unless `event` may follow `state`: {@link checkTransition} as an assertion.
 *
 * @param state - the current state, `undefined` before `Recorded`
 * @param event - the event to check
 * @throws {@link LifecycleError} (`ILLEGAL_TRANSITION`) with the refusal's detail
 */
export function assertTransition(state: EntryState | undefined, event: LifecycleEvent): void {
  const refusal = checkTransition(state, event);
  if (refusal !== undefined) throw new LifecycleError(state?.status ?? ABSENT, event.type, refusal.detail);
}

/**
 * Folds a whole event log into the entry's state: the projection the outbox must agree with.
 *
 * @param events - the entry's events in order, starting with `Recorded`
 * @throws {@link LifecycleError} when the log is empty or any event does not follow from the ones before
 */
export function fold(events: readonly LifecycleEvent[]): EntryState {
  const [first, ...rest] = events;
  if (first === undefined)
    throw new LifecycleError(ABSENT, 'fold', 'an entry needs at least its Recorded event');
  return rest.reduce<EntryState>(evolve, evolve(undefined, first));
}

/**
 * What makes an event unusable whatever the entry's state: a time that is not a finite number (NaN would slip
 * past every comparison below and make the entry due never or always), a negative or fractional size.
 *
 * Deliberately absent: a rule that `at` must not be earlier than the entry's previous event. Device clocks step
 * backwards (NTP corrections, a dead RTC battery, a person setting the time), and the outbox must keep recording
 * and delivering through that; times are compared only where a rule needs them (due, lease expiry). Likewise a
 * `Failed` whose `nextAttemptAt` is before its own `at` is accepted as "due at once": `decideFailure` no longer
 * writes one, but logs written before it clamped do hold them, and `rebuildProjection()` must still fold those.
 */
function eventProblem(event: LifecycleEvent): string | undefined {
  if (!Number.isFinite(event.at)) return `at ${event.at} is not a finite time`;
  switch (event.type) {
    case 'Recorded':
    case 'Amended':
      return Number.isSafeInteger(event.bytes) && event.bytes >= 0
        ? undefined
        : `bytes ${event.bytes} is not a whole number ≥ 0`;
    case 'Claimed':
      return Number.isFinite(event.leaseUntil)
        ? undefined
        : `leaseUntil ${event.leaseUntil} is not a finite time`;
    case 'Failed':
    case 'Released':
      return Number.isFinite(event.nextAttemptAt)
        ? undefined
        : `nextAttemptAt ${event.nextAttemptAt} is not a finite time`;
    case 'ClockSteppedBack':
      return Number.isFinite(event.stepMs) && event.stepMs > 0
        ? undefined
        : `stepMs ${event.stepMs} is not a positive duration`;
    default:
      return undefined;
  }
}

function checkLeaseHolder(state: EntryState, owner: string): TransitionRefusal | undefined {
  // On a pending entry the caller's lease is gone (it expired) or never was: a lost lease, not a misuse.
  if (state.status === 'pending') return refuse('not-owner', `"${owner}" holds no lease on a pending entry`);
  if (state.status !== 'leased') return refuse('illegal-state', `a ${state.status} entry holds no lease`);
  return state.leaseOwner === owner
    ? undefined
    : refuse('not-owner', `the lease belongs to "${state.leaseOwner}", not "${owner}"`);
}

function refuse(kind: TransitionRefusalKind, detail: string): TransitionRefusal {
  return { kind, detail };
}
