import { describe, expect, it } from 'vitest';
import { isHublineError } from '../errors/hubline-error.js';
import {
  decideClaim,
  decideDeadLetter,
  decideEvict,
  decideExpire,
  decideFailure,
  decideRecord,
  decideRequeue,
  decideSettle,
  MAX_ATTEMPTS_CATEGORY,
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

describe('decideSettle', () => {
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
