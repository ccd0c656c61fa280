import { describe, expect, it } from 'vitest';
import { isHublineError } from '../errors/hubline-error.js';
import { LifecycleError } from '../errors/lifecycle-error.js';
import { canTransition, checkTransition, evolve, fold, isClaimable, isTerminal } from './evolve.js';
import type { EntryState, EntryStatus, LifecycleEvent, LifecycleEventType } from './types.js';

const OWNER = 'engine-1';

/** One entry in every status, all reached through evolve itself. */
const recorded: LifecycleEvent = { type: 'Recorded', at: 1_000, bytes: 300 };
const claimed: LifecycleEvent = { type: 'Claimed', at: 2_000, owner: OWNER, leaseUntil: 32_000 };
const logs: Record<EntryStatus, readonly LifecycleEvent[]> = {
  pending: [recorded],
  leased: [recorded, claimed],
  delivered: [recorded, claimed, { type: 'Delivered', at: 3_000, owner: OWNER, alreadyExisted: false }],
  dead: [
    recorded,
    claimed,
    { type: 'DeadLettered', at: 3_000, owner: OWNER, category: 'VALIDATION', message: 'x' },
  ],
  evicted: [recorded, { type: 'Evicted', at: 3_000, reason: 'maxEntries' }],
};
const stateOf = (status: EntryStatus): EntryState => fold(logs[status]);

/** A representative legal-looking event of each type, at a time after every lease above has run out. */
const AT = 40_000;
const probe: Record<LifecycleEventType, LifecycleEvent> = {
  Recorded: { type: 'Recorded', at: AT, bytes: 10 },
  Claimed: { type: 'Claimed', at: AT, owner: OWNER, leaseUntil: AT + 30_000 },
  Delivered: { type: 'Delivered', at: AT, owner: OWNER, alreadyExisted: true },
  Failed: {
    type: 'Failed',
    at: AT,
    owner: OWNER,
    reason: 'HTTP 503',
    status: 503,
    countsAsAttempt: true,
    nextAttemptAt: AT + 5_000,
  },
  DeadLettered: {
    type: 'DeadLettered',
    at: AT,
    owner: OWNER,
    category: 'VALIDATION_ERROR',
    message: 'bad token',
  },
  Requeued: { type: 'Requeued', at: AT, by: 'operator' },
  Amended: {
    type: 'Amended',
    at: AT,
    by: 'operator',
    previous: {
      eventTemplateId: '1',
      id: 'e',
      tokens: {},
      email: 'a@example.com',
      timestamp: '2026-01-01T00:00:00.000Z',
    },
    bytes: 280,
  },
  Released: {
    type: 'Released',
    at: AT,
    owner: OWNER,
    reason: 'paused',
    detail: 'rate-limited',
    nextAttemptAt: AT + 10_000,
  },
  LeaseExpired: { type: 'LeaseExpired', at: AT, owner: OWNER },
  ClockSteppedBack: { type: 'ClockSteppedBack', at: AT, stepMs: 3_600_000 },
  Evicted: { type: 'Evicted', at: AT, reason: 'maxBytes' },
};

type From = EntryStatus | 'absent';
/** The full transition table: for each from-state, the status each event type leads to, or null if refused. */
const table: Record<From, Record<LifecycleEventType, EntryStatus | null>> = {
  absent: {
    Recorded: 'pending',
    Claimed: null,
    Delivered: null,
    Failed: null,
    Released: null,
    DeadLettered: null,
    Requeued: null,
    Amended: null,
    LeaseExpired: null,
    ClockSteppedBack: null,
    Evicted: null,
  },
  pending: {
    Recorded: null,
    Claimed: 'leased',
    Delivered: null,
    Failed: null,
    Released: null,
    DeadLettered: null, // with an owner: nobody holds a lease on a pending entry
    Requeued: null,
    Amended: null,
    LeaseExpired: null,
    ClockSteppedBack: 'pending',
    Evicted: 'evicted',
  },
  leased: {
    Recorded: null,
    Claimed: null,
    Delivered: 'delivered',
    Failed: 'pending',
    Released: 'pending',
    DeadLettered: 'dead',
    Requeued: null,
    Amended: null,
    LeaseExpired: 'pending',
    ClockSteppedBack: 'leased',
    Evicted: null,
  },
  delivered: {
    Recorded: null,
    Claimed: null,
    Delivered: null,
    Failed: null,
    Released: null,
    DeadLettered: null,
    Requeued: null,
    Amended: null,
    LeaseExpired: null,
    ClockSteppedBack: null,
    Evicted: null,
  },
  dead: {
    Recorded: null,
    Claimed: null,
    Delivered: null,
    Failed: null,
    Released: null,
    DeadLettered: null,
    Requeued: 'pending',
    Amended: 'dead',
    LeaseExpired: null,
    ClockSteppedBack: null,
    Evicted: 'evicted',
  },
  evicted: {
    Recorded: null,
    Claimed: null,
    Delivered: null,
    Failed: null,
    Released: null,
    DeadLettered: null,
    Requeued: null,
    Amended: null,
    LeaseExpired: null,
    ClockSteppedBack: null,
    Evicted: null,
  },
};

const rows = Object.entries(table).flatMap(([from, row]) =>
  Object.entries(row).map(([type, to]) => ({ from: from as From, type: type as LifecycleEventType, to })),
);

function refusedWith(fn: () => unknown): LifecycleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LifecycleError) return error;
    throw error;
  }
  throw new Error('expected a LifecycleError, nothing was thrown');
}

describe('evolve', () => {
  describe.each(rows.filter((row) => row.to !== null))(
    'accepts $type on a $from entry',
    ({ from, type, to }) => {
      it(`moves it to ${to}`, () => {
        const state = from === 'absent' ? undefined : stateOf(from);
        const event = probe[type];
        expect(canTransition(state, event)).toBe(true);
        const next = evolve(state, event);
        expect(next.status).toBe(to);
        expect(next.updatedAt).toBe(AT);
      });
    },
  );

  describe.each(rows.filter((row) => row.to === null))('refuses $type on a $from entry', ({ from, type }) => {
    it('throws ILLEGAL_TRANSITION naming the state and the event', () => {
      const state = from === 'absent' ? undefined : stateOf(from);
      const event = probe[type];
      expect(canTransition(state, event)).toBe(false);
      const error = refusedWith(() => evolve(state, event));
      expect(isHublineError(error, 'ILLEGAL_TRANSITION')).toBe(true);
      expect(error.from).toBe(from);
      expect(error.eventType).toBe(type);
      expect(error.message).toContain(type);
      expect(error.message).toContain(`"${from}"`);
      expect(error.message).toMatch(/\(.+\)$/);
    });
  });

  it('starts a recorded entry pending, due at once, with no attempts', () => {
    expect(evolve(undefined, recorded)).toEqual({
      status: 'pending',
      attempts: 0,
      recordedAt: 1_000,
      bytes: 300,
      nextAttemptAt: 1_000,
      leaseOwner: null,
      leaseUntil: null,
      lastError: null,
      updatedAt: 1_000,
      inDoubt: false,
    });
  });

  it('leases a claimed entry to its owner until leaseUntil', () => {
    const state = stateOf('leased');
    expect(state).toMatchObject({
      status: 'leased',
      leaseOwner: OWNER,
      leaseUntil: 32_000,
      updatedAt: 2_000,
    });
  });

  it('refuses a claim before the entry is due', () => {
    const failed = evolve(stateOf('leased'), probe.Failed); // due at AT + 5000
    const early: LifecycleEvent = { type: 'Claimed', at: AT + 4_999, owner: OWNER, leaseUntil: AT + 60_000 };
    expect(checkTransition(failed, early)?.kind).toBe('not-due');
    expect(() => evolve(failed, early)).toThrow(/before nextAttemptAt/);
    expect(evolve(failed, { ...early, at: AT + 5_000 }).status).toBe('leased');
  });

  it('refuses a claim whose lease ends before it starts', () => {
    const event: LifecycleEvent = { type: 'Claimed', at: 5_000, owner: OWNER, leaseUntil: 5_000 };
    expect(checkTransition(stateOf('pending'), event)?.kind).toBe('invalid-event');
  });

  it('refuses a claim on a leased entry even after its lease ran out, until LeaseExpired is recorded', () => {
    const leased = stateOf('leased');
    const other: LifecycleEvent = { type: 'Claimed', at: AT, owner: 'engine-2', leaseUntil: AT + 1 };
    expect(() => evolve(leased, other)).toThrow(/LeaseExpired/);
    const expired = evolve(leased, probe.LeaseExpired);
    expect(evolve(expired, other)).toMatchObject({ status: 'leased', leaseOwner: 'engine-2' });
  });

  it.each([
    ['Delivered', probe.Delivered],
    ['Failed', probe.Failed],
    ['Released', probe.Released],
    ['DeadLettered', probe.DeadLettered],
    ['LeaseExpired', probe.LeaseExpired],
  ] as const)('refuses %s from someone who does not hold the lease', (_type, event) => {
    const thief = { ...event, owner: 'engine-2' } as LifecycleEvent;
    expect(checkTransition(stateOf('leased'), thief)?.kind).toBe('not-owner');
    expect(() => evolve(stateOf('leased'), thief)).toThrow(/belongs to "engine-1", not "engine-2"/);
  });

  it('treats a settle after the lease expired as a lost lease, and one on a finished entry as illegal', () => {
    const expired = evolve(stateOf('leased'), probe.LeaseExpired);
    for (const event of [
      probe.Delivered,
      probe.Failed,
      probe.Released,
      probe.DeadLettered,
      probe.LeaseExpired,
    ]) {
      expect(checkTransition(expired, event)?.kind).toBe('not-owner');
      expect(checkTransition(stateOf('delivered'), event)?.kind).toBe('illegal-state');
    }
  });

  it('refuses to expire a lease that is still running', () => {
    const early: LifecycleEvent = { type: 'LeaseExpired', at: 31_999, owner: OWNER };
    expect(checkTransition(stateOf('leased'), early)?.kind).toBe('lease-active');
    expect(evolve(stateOf('leased'), { ...early, at: 32_000 })).toMatchObject({
      status: 'pending',
      nextAttemptAt: 32_000,
      attempts: 0,
      leaseOwner: null,
      leaseUntil: null,
    });
  });

  it('counts a failure as an attempt only when it says so, and schedules the next one', () => {
    const leased = stateOf('leased');
    const counted = evolve(leased, probe.Failed);
    expect(counted).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: AT + 5_000,
      lastError: 'HTTP 503',
      leaseOwner: null,
      leaseUntil: null,
    });
    const offline = evolve(leased, {
      ...probe.Failed,
      countsAsAttempt: false,
      reason: 'offline',
    } as LifecycleEvent);
    expect(offline).toMatchObject({ attempts: 0, lastError: 'offline' });
  });

  it('ends a lease given back unsent without using an attempt, due again from its nextAttemptAt', () => {
    const failed = evolve(stateOf('leased'), { ...probe.Failed, outcomeUnknown: true } as LifecycleEvent);
    const again = evolve(failed, { type: 'Claimed', at: AT + 5_000, owner: OWNER, leaseUntil: AT + 9_000 });
    const released = evolve(again, {
      ...probe.Released,
      at: AT + 6_000,
      nextAttemptAt: AT + 16_000,
    } as LifecycleEvent);
    expect(released).toEqual({
      ...failed,
      nextAttemptAt: AT + 16_000,
      updatedAt: AT + 6_000,
      // What the entry went through before is kept: its attempts, its last error, its doubt.
      attempts: 1,
      lastError: 'HTTP 503',
      inDoubt: true,
    });
    expect(checkTransition(released, { ...probe.Released, at: AT + 7_000 })?.kind).toBe('not-owner');
  });

  it('is in doubt after a failure whose outcome is unknown, until another failure, a delivery or a requeue says otherwise', () => {
    const leased = stateOf('leased');
    expect(leased.inDoubt).toBe(false);
    const unknown = evolve(leased, { ...probe.Failed, outcomeUnknown: true } as LifecycleEvent);
    expect(unknown.inDoubt).toBe(true);
    // Kept by Claimed, Released and LeaseExpired: none of them tells whether HubSpot has the event.
    const claimAgain = (state: EntryState, at: number): EntryState =>
      evolve(state, { type: 'Claimed', at, owner: OWNER, leaseUntil: at + 1_000 });
    const reclaimed = claimAgain(unknown, AT + 5_000);
    expect(reclaimed.inDoubt).toBe(true);
    expect(evolve(reclaimed, { ...probe.Released, at: AT + 5_001 }).inDoubt).toBe(true);
    expect(evolve(reclaimed, { ...probe.LeaseExpired, at: AT + 6_000 }).inDoubt).toBe(true);
    expect(evolve(reclaimed, { ...probe.Failed, at: AT + 5_001 }).inDoubt).toBe(false);
    expect(evolve(reclaimed, { ...probe.Delivered, at: AT + 5_001 }).inDoubt).toBe(false);
    const dead = evolve(reclaimed, { ...probe.DeadLettered, at: AT + 5_001 } as LifecycleEvent);
    expect(dead.inDoubt).toBe(true);
    expect(evolve(dead, { type: 'Requeued', at: AT + 5_002 }).inDoubt).toBe(false);
  });

  it('keeps what proved a delivery in the history, not in the projection', () => {
    const event: LifecycleEvent = { ...probe.Delivered, evidence: 'read-back' } as LifecycleEvent;
    expect(evolve(stateOf('leased'), event)).toEqual(evolve(stateOf('leased'), probe.Delivered));
  });

  it('ends a running lease at once when its owner is gone, and only then', () => {
    const early: LifecycleEvent = { type: 'LeaseExpired', at: 3_000, owner: OWNER, ownerGone: true };
    expect(checkTransition(stateOf('leased'), early)).toBeUndefined();
    expect(evolve(stateOf('leased'), early)).toMatchObject({ status: 'pending', nextAttemptAt: 3_000 });
    expect(checkTransition(stateOf('leased'), { ...early, owner: 'engine-2' })?.kind).toBe('not-owner');
    const { ownerGone: _gone, ...plain } = early as Extract<LifecycleEvent, { type: 'LeaseExpired' }>;
    expect(checkTransition(stateOf('leased'), plain)?.kind).toBe('lease-active');
  });

  it("moves a pending entry's next attempt, or a lease's end, back by a clock step, and nothing else", () => {
    const step: LifecycleEvent = { type: 'ClockSteppedBack', at: 500, stepMs: 3_600_000 };
    const failed = evolve(stateOf('leased'), probe.Failed);
    expect(evolve(failed, step)).toEqual({
      ...failed,
      nextAttemptAt: AT + 5_000 - 3_600_000,
      updatedAt: 500,
    });
    const leased = stateOf('leased');
    expect(evolve(leased, step)).toEqual({ ...leased, leaseUntil: 32_000 - 3_600_000, updatedAt: 500 });
    // The lease now ends before the step's own time: a claim right after may take the entry over.
    const stepped = evolve(leased, step);
    expect(checkTransition(stepped, { type: 'LeaseExpired', at: 600, owner: OWNER })).toBeUndefined();
    expect(checkTransition(stateOf('pending'), { ...step, stepMs: 0 } as LifecycleEvent)?.kind).toBe(
      'invalid-event',
    );
  });

  it('records the dead-letter category and message as the last error', () => {
    expect(evolve(stateOf('leased'), probe.DeadLettered)).toMatchObject({
      status: 'dead',
      lastError: 'VALIDATION_ERROR: bad token',
      leaseOwner: null,
    });
  });

  it('dead-letters without a lease when no owner is named (an operator or a policy decision)', () => {
    const { owner: _owner, ...ownerless } = probe.DeadLettered as Extract<
      LifecycleEvent,
      { type: 'DeadLettered' }
    >;
    expect(evolve(stateOf('pending'), ownerless).status).toBe('dead');
    expect(evolve(stateOf('leased'), ownerless).status).toBe('dead');
    expect(canTransition(stateOf('delivered'), ownerless)).toBe(false);
    expect(canTransition(stateOf('dead'), ownerless)).toBe(false);
  });

  it('requeues a dead entry with a fresh attempt budget, due at once', () => {
    const failedOnce = evolve(stateOf('leased'), probe.Failed);
    const reclaimed = evolve(failedOnce, {
      type: 'Claimed',
      at: AT + 5_000,
      owner: OWNER,
      leaseUntil: AT + 9_000,
    });
    const dead = evolve(reclaimed, { ...probe.DeadLettered, at: AT + 6_000 } as LifecycleEvent);
    expect(dead.attempts).toBe(1);
    const requeued = evolve(dead, { type: 'Requeued', at: AT + 7_000 });
    expect(requeued).toMatchObject({
      status: 'pending',
      attempts: 0,
      nextAttemptAt: AT + 7_000,
      leaseOwner: null,
    });
  });

  it.each<[string, EntryStatus | 'absent', LifecycleEvent, RegExp]>([
    [
      'Recorded at NaN',
      'absent',
      { type: 'Recorded', at: Number.NaN, bytes: 10 },
      /at NaN is not a finite time/,
    ],
    ['Recorded with negative bytes', 'absent', { type: 'Recorded', at: 1_000, bytes: -1 }, /bytes -1/],
    ['Recorded with fractional bytes', 'absent', { type: 'Recorded', at: 1_000, bytes: 1.5 }, /bytes 1.5/],
    ['Recorded with NaN bytes', 'absent', { type: 'Recorded', at: 1_000, bytes: Number.NaN }, /bytes NaN/],
    [
      'Claimed with leaseUntil NaN',
      'pending',
      { type: 'Claimed', at: AT, owner: OWNER, leaseUntil: Number.NaN },
      /leaseUntil NaN is not a finite time/,
    ],
    [
      'Claimed at Infinity',
      'pending',
      { type: 'Claimed', at: Number.POSITIVE_INFINITY, owner: OWNER, leaseUntil: Number.POSITIVE_INFINITY },
      /at Infinity/,
    ],
    ['Delivered at NaN', 'leased', { ...probe.Delivered, at: Number.NaN } as LifecycleEvent, /at NaN/],
    [
      'Failed with nextAttemptAt NaN',
      'leased',
      { ...probe.Failed, nextAttemptAt: Number.NaN } as LifecycleEvent,
      /nextAttemptAt NaN/,
    ],
    ['Requeued at -Infinity', 'dead', { type: 'Requeued', at: Number.NEGATIVE_INFINITY }, /at -Infinity/],
  ])('refuses %s as an invalid event', (_name, from, event, detail) => {
    const state = from === 'absent' ? undefined : stateOf(from);
    expect(checkTransition(state, event)?.kind).toBe('invalid-event');
    const error = refusedWith(() => evolve(state, event));
    expect(isHublineError(error, 'ILLEGAL_TRANSITION')).toBe(true);
    expect(error.message).toMatch(detail);
  });

  it('accepts events whose time is earlier than the previous one: device clocks go backwards', () => {
    // NTP corrections, a dead RTC battery or a person setting the clock move `at` back; refusing such an event
    // would leave the entry stuck (or its delivery unrecorded) until the clock caught up again.
    let state = evolve(undefined, { type: 'Recorded', at: 50_000, bytes: 10 });
    state = evolve(state, { type: 'Claimed', at: 50_000, owner: OWNER, leaseUntil: 80_000 });
    state = evolve(state, {
      type: 'Failed',
      at: 20_000,
      owner: OWNER,
      reason: 'HTTP 503',
      countsAsAttempt: true,
      nextAttemptAt: 20_000,
    });
    expect(state).toMatchObject({ status: 'pending', updatedAt: 20_000, nextAttemptAt: 20_000 });
    state = evolve(state, { type: 'Claimed', at: 20_000, owner: OWNER, leaseUntil: 30_000 });
    state = evolve(state, { type: 'Delivered', at: 10_000, owner: OWNER, alreadyExisted: false });
    expect(state).toMatchObject({ status: 'delivered', recordedAt: 50_000, updatedAt: 10_000 });
  });

  it('accepts a Failed whose retry time is before its own time, as due at once (logs written before decideFailure clamped)', () => {
    const state = evolve(stateOf('leased'), { ...probe.Failed, nextAttemptAt: AT - 1 } as LifecycleEvent);
    expect(state).toMatchObject({ status: 'pending', nextAttemptAt: AT - 1 });
    expect(
      checkTransition(state, { type: 'Claimed', at: AT, owner: OWNER, leaseUntil: AT + 1 }),
    ).toBeUndefined();
  });

  it('does not modify the state it is given', () => {
    const state = Object.freeze(stateOf('leased'));
    const next = evolve(state, probe.Delivered);
    expect(state.status).toBe('leased');
    expect(next).not.toBe(state);
  });
});

describe('fold', () => {
  it('refuses an empty log', () => {
    expect(() => fold([])).toThrow(LifecycleError);
  });

  it('refuses a log that does not start with Recorded', () => {
    expect(() => fold([claimed])).toThrow(/never recorded/);
  });

  it('refuses Delivered after DeadLettered', () => {
    const log = [
      ...logs.dead,
      { type: 'Delivered', at: 4_000, owner: OWNER, alreadyExisted: false } as const,
    ];
    const error = refusedWith(() => fold(log));
    expect(error.from).toBe('dead');
    expect(error.eventType).toBe('Delivered');
  });

  it('equals evolve applied event by event', () => {
    const log = logs.delivered;
    let state: EntryState | undefined;
    for (const event of log) state = evolve(state, event);
    expect(fold(log)).toEqual(state);
  });
});

describe('isTerminal', () => {
  it.each([
    ['pending', false],
    ['leased', false],
    ['delivered', true],
    ['dead', true],
    ['evicted', true],
  ] as const)('says %s is terminal: %s', (status, terminal) => {
    expect(isTerminal(status)).toBe(terminal);
  });
});

describe('isClaimable', () => {
  it('admits a due pending entry and a leased one whose lease ran out, nothing else', () => {
    expect(isClaimable(stateOf('pending'), 999)).toBe(false);
    expect(isClaimable(stateOf('pending'), 1_000)).toBe(true);
    expect(isClaimable(stateOf('leased'), 31_999)).toBe(false);
    expect(isClaimable(stateOf('leased'), 32_000)).toBe(true);
    for (const status of ['delivered', 'dead', 'evicted'] as const)
      expect(isClaimable(stateOf(status), AT)).toBe(false);
  });
});

describe('an amended dead letter', () => {
  it('stays dead with the amended size, every other field kept, until it is requeued', () => {
    const dead = stateOf('dead');
    const amended = evolve(dead, probe.Amended);
    expect(amended).toEqual({ ...dead, bytes: 280, updatedAt: AT });
    expect(evolve(amended, probe.Requeued)).toMatchObject({ status: 'pending', attempts: 0, bytes: 280 });
  });

  it('refuses an amended size that is not a whole number', () => {
    expect(checkTransition(stateOf('dead'), { ...probe.Amended, bytes: -1 } as LifecycleEvent)).toMatchObject(
      {
        kind: 'invalid-event',
      },
    );
  });
});
