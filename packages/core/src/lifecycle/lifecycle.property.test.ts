import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LifecycleError } from '../errors/lifecycle-error.js';
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
  maxAttemptsMessage,
} from './decide.js';
import { canTransition, evolve, fold, isTerminal } from './evolve.js';
import type { EntryState, EntryStatus, LifecycleEvent } from './types.js';

/*
 * A model of the lifecycle, written independently of evolve: it says which commands are legal and what the
 * entry should look like after each. The properties drive the decisions and evolve with random commands at
 * random times, mostly moving forward but sometimes back (a device clock corrected), and compare. The store's
 * own decisions are in the model too: giving a lease back unsent, taking over the lease of an owner whose process
 * is gone, and moving an entry back after a clock step.
 */

const OWNERS = ['engine-1', 'engine-2'] as const;

type Command =
  | { readonly kind: 'claim'; readonly owner: number; readonly leaseMs: number }
  | { readonly kind: 'deliver'; readonly owner: number; readonly alreadyExisted: boolean }
  | {
      readonly kind: 'fail';
      readonly owner: number;
      readonly counts: boolean;
      readonly unknown: boolean;
      readonly retryInMs: number;
    }
  | { readonly kind: 'release'; readonly owner: number; readonly retryInMs: number }
  | { readonly kind: 'deadLetter'; readonly owner: number | null }
  | { readonly kind: 'expire' }
  | { readonly kind: 'ownerGone' }
  | { readonly kind: 'clockStep'; readonly stepMs: number }
  | { readonly kind: 'requeue' }
  | { readonly kind: 'evict' };

interface Step {
  readonly dt: number;
  readonly command: Command;
}

interface Model {
  status: EntryStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseOwner: string | null;
  leaseUntil: number | null;
  inDoubt: boolean;
}

const owner = fc.integer({ min: 0, max: OWNERS.length - 1 });
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('claim' as const), owner, leaseMs: fc.integer({ min: 1, max: 5_000 }) }),
  fc.record({ kind: fc.constant('deliver' as const), owner, alreadyExisted: fc.boolean() }),
  fc.record({
    kind: fc.constant('fail' as const),
    owner,
    counts: fc.boolean(),
    unknown: fc.boolean(),
    retryInMs: fc.integer({ min: 0, max: 5_000 }),
  }),
  fc.record({ kind: fc.constant('release' as const), owner, retryInMs: fc.integer({ min: 0, max: 5_000 }) }),
  fc.constant({ kind: 'ownerGone' as const }),
  fc.record({ kind: fc.constant('clockStep' as const), stepMs: fc.integer({ min: 1, max: 3_000 }) }),
  fc.record({ kind: fc.constant('deadLetter' as const), owner: fc.option(owner, { nil: null }) }),
  fc.constant({ kind: 'expire' as const }),
  fc.constant({ kind: 'requeue' as const }),
  fc.constant({ kind: 'evict' as const }),
);
// dt 0 is frequent on purpose: many decisions land on the very millisecond a lease ends or a retry is due.
// A negative dt is a device clock stepping back, which every rule must take in its stride.
const step: fc.Arbitrary<Step> = fc.record({
  dt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: -3_000, max: -1 })),
  command,
});
const steps = fc.array(step, { maxLength: 60 });
const maxAttempts = fc.integer({ min: 1, max: 5 });

/** Any well-formed event, legal or not, with times and owners drawn from a small range so some fit. */
const at = fc.integer({ min: 0, max: 20_000 });
const anyOwner = fc.constantFrom(...OWNERS);
const anyEvent: fc.Arbitrary<LifecycleEvent> = fc.oneof(
  fc.record({ type: fc.constant('Recorded' as const), at, bytes: fc.nat(1_000) }),
  fc.record({ type: fc.constant('Claimed' as const), at, owner: anyOwner, leaseUntil: at }),
  fc.record({ type: fc.constant('Delivered' as const), at, owner: anyOwner, alreadyExisted: fc.boolean() }),
  fc.record({
    type: fc.constant('Failed' as const),
    at,
    owner: anyOwner,
    reason: fc.constant('HTTP 500'),
    countsAsAttempt: fc.boolean(),
    nextAttemptAt: at,
  }),
  fc.record({
    type: fc.constant('Released' as const),
    at,
    owner: anyOwner,
    reason: fc.constantFrom('paused' as const, 'stopping' as const, 'not-sent' as const),
    detail: fc.constant('offline'),
    nextAttemptAt: at,
  }),
  fc.record({
    type: fc.constant('LeaseExpired' as const),
    at,
    owner: anyOwner,
    ownerGone: fc.constant(true as const),
  }),
  fc.record({
    type: fc.constant('ClockSteppedBack' as const),
    at,
    stepMs: fc.integer({ min: 1, max: 5_000 }),
  }),
  fc.record(
    {
      type: fc.constant('DeadLettered' as const),
      at,
      owner: anyOwner,
      category: fc.constant('VALIDATION_ERROR'),
      message: fc.constant('refused'),
    },
    { requiredKeys: ['type', 'at', 'category', 'message'] },
  ),
  fc.record({ type: fc.constant('Requeued' as const), at }),
  fc.record({
    type: fc.constant('Amended' as const),
    at,
    previous: fc.constant({
      eventTemplateId: '1',
      id: 'e',
      tokens: {},
      timestamp: '2026-01-01T00:00:00.000Z',
    }),
    bytes: fc.integer({ min: 0, max: 1_000 }),
  }),
  fc.record({ type: fc.constant('LeaseExpired' as const), at, owner: anyOwner }),
  fc.record({ type: fc.constant('Evicted' as const), at, reason: fc.constant('maxEntries') }),
);

const lapsed = (m: Model, now: number) =>
  m.status === 'leased' && m.leaseUntil !== null && now >= m.leaseUntil;

function isLegal(m: Model, c: Command, now: number): boolean {
  switch (c.kind) {
    case 'claim':
      return (m.status === 'pending' && now >= m.nextAttemptAt) || lapsed(m, now);
    case 'deliver':
    case 'fail':
    case 'release':
      return m.status === 'leased' && m.leaseOwner === OWNERS[c.owner];
    case 'deadLetter':
      return c.owner === null
        ? m.status === 'pending' || m.status === 'leased'
        : m.status === 'leased' && m.leaseOwner === OWNERS[c.owner];
    case 'expire':
      return lapsed(m, now);
    case 'ownerGone':
      return m.status === 'leased';
    case 'clockStep':
      return m.status === 'pending' || m.status === 'leased';
    case 'requeue':
      return m.status === 'dead';
    case 'evict':
      return m.status === 'pending' || m.status === 'dead' || lapsed(m, now);
  }
}

function advance(m: Model, c: Command, now: number, max: number): Model {
  const free = { leaseOwner: null, leaseUntil: null };
  // Claiming or evicting over a lapsed lease ends that lease first, which makes the entry due now.
  if ((c.kind === 'claim' || c.kind === 'evict') && lapsed(m, now)) m = { ...m, nextAttemptAt: now };
  switch (c.kind) {
    case 'claim':
      return { ...m, status: 'leased', leaseOwner: OWNERS[c.owner] ?? null, leaseUntil: now + c.leaseMs };
    case 'deliver':
      return { ...m, ...free, status: 'delivered', inDoubt: false };
    case 'fail': {
      const attempts = m.attempts + (c.counts ? 1 : 0);
      // Only a known refusal gives up; HubSpot may have an event whose outcome is unknown.
      const status = c.counts && !c.unknown && attempts >= max ? 'dead' : 'pending';
      return { ...m, ...free, status, attempts, nextAttemptAt: now + c.retryInMs, inDoubt: c.unknown };
    }
    case 'release':
      return { ...m, ...free, status: 'pending', nextAttemptAt: now + c.retryInMs };
    case 'deadLetter':
      return { ...m, ...free, status: 'dead' };
    case 'expire':
    case 'ownerGone':
      return { ...m, ...free, status: 'pending', nextAttemptAt: now };
    case 'clockStep':
      return m.status === 'leased'
        ? { ...m, leaseUntil: (m.leaseUntil ?? 0) - c.stepMs }
        : { ...m, nextAttemptAt: m.nextAttemptAt - c.stepMs };
    case 'requeue':
      return { ...m, ...free, status: 'pending', attempts: 0, nextAttemptAt: now, inDoubt: false };
    case 'evict':
      return { ...m, ...free, status: 'evicted' };
  }
}

function decide(state: EntryState, c: Command, now: number, max: number): LifecycleEvent[] {
  const policy = { maxAttempts: max };
  switch (c.kind) {
    case 'claim':
      return decideClaim(state, { at: now, owner: OWNERS[c.owner] ?? '', leaseMs: c.leaseMs });
    case 'deliver':
      return decideSettle(
        state,
        { outcome: 'delivered', owner: OWNERS[c.owner] ?? '', alreadyExisted: c.alreadyExisted },
        now,
        policy,
      );
    case 'fail':
      return decideFailure(
        state,
        {
          owner: OWNERS[c.owner] ?? '',
          reason: 'HTTP 503',
          countsAsAttempt: c.counts,
          outcomeUnknown: c.unknown,
          nextAttemptAt: now + c.retryInMs,
        },
        now,
        policy,
      );
    case 'release':
      return decideRelease(
        state,
        {
          owner: OWNERS[c.owner] ?? '',
          reason: 'paused',
          detail: 'offline',
          nextAttemptAt: now + c.retryInMs,
        },
        now,
      );
    case 'ownerGone':
      return decideExpire(state, now, { ownerGone: true });
    case 'clockStep':
      return decideClockStep(state, now, c.stepMs);
    case 'deadLetter': {
      const report = { category: 'VALIDATION_ERROR', message: 'refused' };
      return decideDeadLetter(
        state,
        c.owner === null ? report : { ...report, owner: OWNERS[c.owner] ?? '' },
        now,
      );
    }
    case 'expire':
      return decideExpire(state, now);
    case 'requeue':
      return decideRequeue(state, now, 'operator');
    case 'evict':
      return decideEvict(state, now, 'maxEntries');
  }
}

interface Run {
  readonly log: readonly LifecycleEvent[];
  /** The state after each appended event, as an outbox projection updated event by event would hold it. */
  readonly states: readonly EntryState[];
}

/** Plays the steps against the model and the decisions, asserting they agree on every step. */
function play(input: readonly Step[], max: number): Run {
  let now = 1_000;
  const log: LifecycleEvent[] = [...decideRecord(undefined, now, 256)];
  let state = evolve(undefined, log[0] as LifecycleEvent);
  const states: EntryState[] = [state];
  let model: Model = {
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    leaseOwner: null,
    leaseUntil: null,
    inDoubt: false,
  };
  for (const { dt, command: c } of input) {
    now += dt;
    const legal = isLegal(model, c, now);
    let events: LifecycleEvent[];
    try {
      events = decide(state, c, now, max);
    } catch (error) {
      if (!(error instanceof LifecycleError)) throw error;
      expect(legal, `${c.kind} at ${now} refused on ${JSON.stringify(state)}: ${error.message}`).toBe(false);
      continue;
    }
    expect(legal, `${c.kind} at ${now} accepted on ${JSON.stringify(state)}`).toBe(true);
    for (const event of events) {
      state = evolve(state, event);
      log.push(event);
      states.push(state);
    }
    model = advance(model, c, now, max);
    expect(state).toMatchObject(model);
    expect(state.updatedAt).toBe(now);
  }
  return { log, states };
}

describe('the delivery lifecycle (properties)', () => {
  it('(a) legal commands are accepted, illegal ones refused, and the projection equals the fold of the log', () => {
    fc.assert(
      fc.property(steps, maxAttempts, (input, max) => {
        const { log, states } = play(input, max);
        expect(fold(log)).toEqual(states.at(-1));
        // Every prefix folds to the projection held at that point, so a rebuild from any crash point agrees.
        for (let i = 0; i < log.length; i += 1) expect(fold(log.slice(0, i + 1))).toEqual(states[i]);
      }),
      { numRuns: 500 },
    );
  });

  it('(b) terminal states stay terminal: nothing after Delivered or Evicted, only Requeued, Amended or Evicted after DeadLettered', () => {
    fc.assert(
      fc.property(
        steps,
        maxAttempts,
        fc.array(anyEvent, { minLength: 1, maxLength: 20 }),
        (input, max, probes) => {
          const { states } = play(input, max);
          const last = states.at(-1) as EntryState;
          fc.pre(isTerminal(last.status));
          for (const probe of probes) {
            const accepted = canTransition(last, probe);
            const expected =
              last.status === 'dead' && ['Requeued', 'Amended', 'Evicted'].includes(probe.type);
            expect(accepted, `${probe.type} on ${last.status}`).toBe(expected);
            if (!accepted) expect(() => evolve(last, probe)).toThrow(LifecycleError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('(b) once delivered or evicted, an entry never changes whatever events arrive', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 80 }), (events) => {
        let state: EntryState | undefined;
        let frozen: EntryState | undefined;
        for (const event of events) {
          if (!canTransition(state, event)) continue;
          expect(frozen, `${event.type} accepted after ${frozen?.status}`).toBeUndefined();
          state = evolve(state, event);
          if (state.status === 'delivered' || state.status === 'evicted') frozen = state;
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('(c) attempts never decrease except on Requeued, and exceed maxAttempts only through unknown outcomes', () => {
    fc.assert(
      fc.property(steps, maxAttempts, (input, max) => {
        const { log, states } = play(input, max);
        for (let i = 1; i < states.length; i += 1) {
          const before = states[i - 1] as EntryState;
          const after = states[i] as EntryState;
          const event = log[i];
          if (event?.type === 'Requeued') expect(after.attempts).toBe(0);
          else expect(after.attempts).toBeGreaterThanOrEqual(before.attempts);
          // Left pending past the budget only while HubSpot may have the event: the engine is verifying it.
          const settled = log[i + 1]?.type === 'DeadLettered';
          if (after.attempts > max && after.status === 'pending' && event?.type === 'Failed' && !settled) {
            expect(event.outcomeUnknown).toBe(true);
          }
          if (event?.type !== 'Failed' || !event.countsAsAttempt || after.attempts < max) continue;
          if (event.outcomeUnknown === true) {
            // HubSpot may have it: pending and in doubt, for the engine to verify, never dead on a guess.
            expect(after).toMatchObject({ status: 'pending', inDoubt: true });
          } else {
            // A known refusal that uses the last attempt is followed by the dead letter decided with it.
            expect(log[i + 1]).toMatchObject({
              type: 'DeadLettered',
              category: 'MAX_ATTEMPTS',
              message: maxAttemptsMessage(after.attempts, event.reason),
            });
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
