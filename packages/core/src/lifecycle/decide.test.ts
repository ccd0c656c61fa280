import { describe, expect, it } from 'vitest';
import { isHublineError } from '../errors/hubline-error.js';
import {
  decideClaim,
  decideClockStep,
  decideDeadLetter,
  decideEvict,
  decideExpire,
  decideFailure,
  decideRecord,
  decideRelease,
  decideRequeue,
  decideSettle,
  MAX_ATTEMPTS_CATEGORY,
  maxAttemptsMessage,
} from './decide.js';
import { checkTransition, evolve } from './evolve.js';
import type { EntryState, LifecycleEvent } from './types.js';

const OWNER = 'engine-1';
const policy = { maxAttempts: 3 };

function start(): EntryState {
  return step(undefined, decideRecord(undefined, 1_000, 200));
}
function step(state: EntryState | undefined, events: readonly LifecycleEvent[]): EntryState {
  return events.reduce<EntryState | undefined>(evolve, state) as EntryState;
}
function leased(at = 1_000, leaseMs = 30_000): EntryState {
  const state = start();
  return step(state, decideClaim(state, { at, owner: OWNER, leaseMs }));
}

describe('decideRecord', () => {
  it('records a new entry once', () => {
    expect(decideRecord(undefined, 5, 10)).toEqual([{ type: 'Recorded', at: 5, bytes: 10 }]);
    expect(() => decideRecord(start(), 5, 10)).toThrow(/already recorded/);
    expect(() => decideRecord(undefined, 5, -10)).toThrow(/bytes -10 is not a whole number/);
    expect(() => decideRecord(undefined, Number.NaN, 10)).toThrow(/at NaN is not a finite time/);
  });
});

describe('decideClaim', () => {
  it('leases a due pending entry for leaseMs', () => {
    expect(decideClaim(start(), { at: 1_500, owner: OWNER, leaseMs: 30_000 })).toEqual([
      { type: 'Claimed', at: 1_500, owner: OWNER, leaseUntil: 31_500 },
    ]);
  });

  it('takes over a leased entry whose lease ran out by expiring it first', () => {
    const state = leased();
    const events = decideClaim(state, { at: 31_000, owner: 'engine-2', leaseMs: 1_000 });
    expect(events).toEqual([
      { type: 'LeaseExpired', at: 31_000, owner: OWNER },
      { type: 'Claimed', at: 31_000, owner: 'engine-2', leaseUntil: 32_000 },
    ]);
    expect(step(state, events)).toMatchObject({ status: 'leased', leaseOwner: 'engine-2', attempts: 0 });
  });

  it('refuses a leased entry whose lease still runs', () => {
    expect(() => decideClaim(leased(), { at: 30_999, owner: 'engine-2', leaseMs: 1_000 })).toThrow(
      expect.objectContaining({ code: 'ILLEGAL_TRANSITION', from: 'leased', eventType: 'Claimed' }),
    );
  });

  it('refuses an entry that is not yet due', () => {
    const state = leased();
    const failed = step(
      state,
      decideFailure(
        state,
        { owner: OWNER, reason: 'HTTP 500', countsAsAttempt: true, nextAttemptAt: 9_000 },
        2_000,
        policy,
      ),
    );
    expect(() => decideClaim(failed, { at: 8_999, owner: OWNER, leaseMs: 1 })).toThrow(
      /before nextAttemptAt/,
    );
  });

  it('refuses a lease that is not positive, naming leaseMs', () => {
    expect(() => decideClaim(start(), { at: 1_000, owner: OWNER, leaseMs: 0 })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        issues: [expect.objectContaining({ path: 'leaseMs' })],
      }),
    );
  });
});

describe('decideExpire', () => {
  it('expires a lapsed lease on behalf of its owner, and refuses a running one', () => {
    expect(decideExpire(leased(), 31_000)).toEqual([{ type: 'LeaseExpired', at: 31_000, owner: OWNER }]);
    expect(() => decideExpire(leased(), 30_999)).toThrow(/lease runs until 31000/);
    expect(() => decideExpire(start(), 50_000)).toThrow(/holds no lease/);
  });
});

describe('decideExpire with ownerGone', () => {
  it('ends a running lease at once when the store found its holder gone, saying so', () => {
    expect(decideExpire(leased(), 2_000, { ownerGone: true })).toEqual([
      { type: 'LeaseExpired', at: 2_000, owner: OWNER, ownerGone: true },
    ]);
    expect(() => decideExpire(start(), 2_000, { ownerGone: true })).toThrow(/holds no lease/);
  });
});

describe('decideRelease', () => {
  it('gives a lease back unsent, due again after the delay, without using an attempt', () => {
    const events = decideRelease(
      leased(),
      { owner: OWNER, reason: 'stopping', detail: 'engine stopping', nextAttemptAt: 1_500 },
      2_000,
    );
    // A next attempt before the release time is "at once".
    expect(events).toEqual([
      {
        type: 'Released',
        at: 2_000,
        owner: OWNER,
        reason: 'stopping',
        detail: 'engine stopping',
        nextAttemptAt: 2_000,
      },
    ]);
    expect(step(leased(), events)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: 2_000 });
  });

  it('refuses a release from someone who lost the lease', () => {
    const taken = step(leased(), decideClaim(leased(), { at: 31_000, owner: 'engine-2', leaseMs: 1_000 }));
    expect(() =>
      decideRelease(taken, { owner: OWNER, reason: 'paused', detail: 'offline', nextAttemptAt: 0 }, 31_500),
    ).toThrow(/belongs to "engine-2"/);
  });
});

describe('decideClockStep', () => {
  it('moves an entry back by the step the store saw, and refuses a finished entry', () => {
    expect(decideClockStep(leased(), 500, 3_600_000)).toEqual([
      { type: 'ClockSteppedBack', at: 500, stepMs: 3_600_000 },
    ]);
    const delivered = step(
      leased(),
      decideSettle(leased(), { outcome: 'delivered', owner: OWNER, alreadyExisted: false }, 2_000),
    );
    expect(() => decideClockStep(delivered, 500, 1_000)).toThrow(/waits for no time/);
  });
});

describe('decideFailure', () => {
  const failure = {
    owner: OWNER,
    reason: 'HTTP 503',
    status: 503,
    countsAsAttempt: true,
    nextAttemptAt: 5_000,
  };

  it('schedules a retry while attempts remain', () => {
    expect(decideFailure(leased(), failure, 2_000, policy)).toEqual([
      {
        type: 'Failed',
        at: 2_000,
        owner: OWNER,
        reason: 'HTTP 503',
        status: 503,
        countsAsAttempt: true,
        nextAttemptAt: 5_000,
      },
    ]);
  });

  it('records a retry due before the settle time as due at the settle time (the engine read its clock first)', () => {
    const [failed] = decideFailure(leased(), { ...failure, nextAttemptAt: 1_999 }, 2_000, policy);
    expect(failed).toMatchObject({ type: 'Failed', at: 2_000, nextAttemptAt: 2_000 });
  });

  it('refuses a failure whose next attempt is not a time', () => {
    expect(() => decideFailure(leased(), { ...failure, nextAttemptAt: Number.NaN }, 2_000, policy)).toThrow(
      /nextAttemptAt NaN is not a finite time/,
    );
  });

  it('dead-letters with MAX_ATTEMPTS when the last allowed attempt fails, keeping that failure in the history', () => {
    let state = leased();
    for (let attempt = 1; attempt < policy.maxAttempts; attempt += 1) {
      state = step(state, decideFailure(state, failure, 2_000, policy));
      state = step(state, decideClaim(state, { at: 5_000, owner: OWNER, leaseMs: 1_000 }));
    }
    const events = decideFailure(state, failure, 6_000, policy);
    expect(events.map((e) => e.type)).toEqual(['Failed', 'DeadLettered']);
    const dead = step(state, events);
    expect(dead).toMatchObject({ status: 'dead', attempts: 3 });
    expect(dead.lastError).toBe(`${MAX_ATTEMPTS_CATEGORY}: gave up after 3 attempts; last error: HTTP 503`);
  });

  it('never dead-letters a failure whose outcome is unknown: the entry stays pending, in doubt, at and past maxAttempts', () => {
    const unknown = { ...failure, outcomeUnknown: true };
    let state = leased();
    for (let attempt = 1; attempt <= policy.maxAttempts + 2; attempt += 1) {
      const events = decideFailure(state, unknown, 2_000, policy);
      expect(events).toEqual([expect.objectContaining({ type: 'Failed', outcomeUnknown: true })]);
      state = step(state, events);
      expect(state).toMatchObject({ status: 'pending', attempts: attempt, inDoubt: true });
      state = step(state, decideClaim(state, { at: 5_000, owner: OWNER, leaseMs: 1_000 }));
    }
    // A known refusal after the attempts ran out gives up at once, saying how many attempts there really were.
    const events = decideFailure(state, { ...failure, reason: 'CANCELED' }, 6_000, policy);
    expect(events.map((event) => event.type)).toEqual(['Failed', 'DeadLettered']);
    expect(step(state, events)).toMatchObject({
      status: 'dead',
      attempts: 6,
      inDoubt: false,
      lastError: `${MAX_ATTEMPTS_CATEGORY}: gave up after 6 attempts; last error: CANCELED`,
    });
  });

  it('writes outcomeUnknown only when it is true', () => {
    const [failed] = decideFailure(leased(), { ...failure, outcomeUnknown: false }, 2_000, policy);
    expect(failed).not.toHaveProperty('outcomeUnknown');
  });

  it('never dead-letters a failure that does not count (offline), whatever the attempts', () => {
    const offline = { ...failure, countsAsAttempt: false, reason: 'offline' };
    expect(decideFailure(leased(), offline, 2_000, { maxAttempts: 1 }).map((e) => e.type)).toEqual([
      'Failed',
    ]);
  });

  it('dead-letters on the first counted failure when maxAttempts is 1', () => {
    expect(decideFailure(leased(), failure, 2_000, { maxAttempts: 1 }).map((e) => e.type)).toEqual([
      'Failed',
      'DeadLettered',
    ]);
  });

  it('never gives up under an unlimited budget', () => {
    let state = leased();
    for (let attempt = 1; attempt <= 50; attempt += 1) {
      const events = decideFailure(state, failure, 2_000, { maxAttempts: Number.POSITIVE_INFINITY });
      expect(events.map((e) => e.type)).toEqual(['Failed']);
      const pending = step(state, events);
      state = step(pending, decideClaim(pending, { at: 5_000, owner: OWNER, leaseMs: 1 }));
    }
    expect(state.attempts).toBe(50);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.NEGATIVE_INFINITY])(
    'refuses maxAttempts %s, naming the field',
    (maxAttempts) => {
      expect(() => decideFailure(leased(), failure, 2_000, { maxAttempts })).toThrow(
        expect.objectContaining({ issues: [expect.objectContaining({ path: 'maxAttempts' })] }),
      );
    },
  );

  it('refuses a failure reported by someone who lost the lease', () => {
    const state = leased();
    const events = decideClaim(state, { at: 31_000, owner: 'engine-2', leaseMs: 1_000 });
    const taken = step(state, events);
    let error: unknown;
    try {
      decideFailure(taken, failure, 31_500, policy);
    } catch (caught) {
      error = caught;
    }
    expect(isHublineError(error, 'ILLEGAL_TRANSITION')).toBe(true);
    expect(
      checkTransition(taken, { type: 'Failed', ...failure, at: 31_500, nextAttemptAt: 31_500 })?.kind,
    ).toBe('not-owner');
  });
});

describe('maxAttemptsMessage', () => {
  it('states the attempts and the last error', () => {
    expect(maxAttemptsMessage(5, 'HTTP 503')).toBe('gave up after 5 attempts; last error: HTTP 503');
    expect(maxAttemptsMessage(1, 'timeout')).toBe('gave up after 1 attempt; last error: timeout');
  });
});

describe('decideSettle', () => {
  it('keeps what proved a delivery, when the engine says', () => {
    expect(
      decideSettle(
        leased(),
        { outcome: 'delivered', owner: OWNER, alreadyExisted: true, evidence: 'already-exists' },
        2_000,
      ),
    ).toEqual([
      { type: 'Delivered', at: 2_000, owner: OWNER, alreadyExisted: true, evidence: 'already-exists' },
    ]);
  });

  it('turns each outcome into its event', () => {
    expect(
      decideSettle(leased(), { outcome: 'delivered', owner: OWNER, alreadyExisted: true }, 2_000, policy),
    ).toEqual([{ type: 'Delivered', at: 2_000, owner: OWNER, alreadyExisted: true }]);
    expect(
      decideSettle(
        leased(),
        { outcome: 'failed', owner: OWNER, reason: 'x', countsAsAttempt: false, nextAttemptAt: 3_000 },
        2_000,
        policy,
      ),
    ).toEqual([
      { type: 'Failed', at: 2_000, owner: OWNER, reason: 'x', countsAsAttempt: false, nextAttemptAt: 3_000 },
    ]);
    expect(
      decideSettle(
        leased(),
        { outcome: 'dead', owner: OWNER, category: 'VALIDATION_ERROR', message: 'bad', status: 400 },
        2_000,
        policy,
      ),
    ).toEqual([
      {
        type: 'DeadLettered',
        at: 2_000,
        owner: OWNER,
        category: 'VALIDATION_ERROR',
        message: 'bad',
        status: 400,
      },
    ]);
  });

  it('refuses to deliver an entry that was dead-lettered meanwhile', () => {
    const state = leased();
    const dead = step(state, decideDeadLetter(state, { category: 'OPERATOR', message: 'dropped' }, 1_500));
    expect(() =>
      decideSettle(dead, { outcome: 'delivered', owner: OWNER, alreadyExisted: false }, 2_000, policy),
    ).toThrow(/Delivered cannot follow state "dead"/);
  });
});

describe('decideDeadLetter', () => {
  it('lets an operator dead-letter a pending entry without a lease, but not a terminal one', () => {
    const events = decideDeadLetter(start(), { category: 'OPERATOR', message: 'dropped' }, 2_000);
    expect(events).toEqual([{ type: 'DeadLettered', at: 2_000, category: 'OPERATOR', message: 'dropped' }]);
    const dead = step(start(), events);
    expect(() => decideDeadLetter(dead, { category: 'OPERATOR', message: 'again' }, 3_000)).toThrow(
      /never dead-lettered/,
    );
  });
});

describe('decideRequeue', () => {
  it('requeues only a dead entry', () => {
    const state = start();
    const dead = step(state, decideDeadLetter(state, { category: 'C', message: 'm' }, 2_000));
    expect(decideRequeue(dead, 3_000, 'ops@example.com')).toEqual([
      { type: 'Requeued', at: 3_000, by: 'ops@example.com' },
    ]);
    expect(decideRequeue(dead, 3_000)).toEqual([{ type: 'Requeued', at: 3_000 }]);
    expect(() => decideRequeue(start(), 3_000)).toThrow(/only a dead entry/);
  });

  it('puts Amended, keeping the replaced event, before Requeued when the event was changed', () => {
    const state = start();
    const dead = step(state, decideDeadLetter(state, { category: 'C', message: 'm' }, 2_000));
    const previous = { eventTemplateId: '1', id: 'e1', tokens: {}, timestamp: '2026-01-01T00:00:00.000Z' };
    const events = decideRequeue(dead, 3_000, 'ops', { previous, bytes: 99 });
    expect(events).toEqual([
      { type: 'Amended', at: 3_000, by: 'ops', previous, bytes: 99 },
      { type: 'Requeued', at: 3_000, by: 'ops' },
    ]);
    expect(step(dead, events)).toMatchObject({ status: 'pending', bytes: 99, attempts: 0 });
    expect(() => decideRequeue(start(), 3_000, undefined, { previous, bytes: 99 })).toThrow(
      /only a dead entry/,
    );
  });
});

describe('decideEvict', () => {
  it('evicts a pending entry', () => {
    expect(decideEvict(start(), 2_000, 'maxEntries')).toEqual([
      { type: 'Evicted', at: 2_000, reason: 'maxEntries' },
    ]);
  });

  it('never evicts an entry in flight, but does once its lease ran out', () => {
    expect(() => decideEvict(leased(), 30_999, 'maxBytes')).toThrow(/only a pending entry/);
    expect(decideEvict(leased(), 31_000, 'maxBytes').map((e) => e.type)).toEqual(['LeaseExpired', 'Evicted']);
  });
});
