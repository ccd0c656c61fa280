import type { EventOutcome, HttpAnswer } from '@hubline/core';
import { describe, expect, it } from 'vitest';
import { createConfirmations, mayStillLand } from './confirmations.js';

const WINDOW_MS = 60_000;

function confirmations() {
  let now = 1_000;
  const counters = { confirming: 0 };
  const set = createConfirmations({ windowMs: WINDOW_MS, now: () => now, counters });
  return {
    set,
    counters,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('createConfirmations', () => {
  it('keeps the latest horizon of an event’s doubtful requests, never an earlier one', () => {
    const { set } = confirmations();
    // A timeout on an early attempt (may land for a window), then answered 503s: the timeout still counts.
    set.noteDoubt('a', 1_000 + WINDOW_MS, false);
    set.noteDoubt('a', 2_000, false);
    set.noteDoubt('a', 3_000, true);
    expect(set.horizonOf('a')).toBe(1_000 + WINDOW_MS);
  });

  it('takes "not found" as final at once for an event whose requests all ended with an answer', () => {
    const { set, advance } = confirmations();
    set.noteDoubt('a', 1_000, true);
    advance(5);
    expect(set.horizonOf('a')).toBe(1_000);
  });

  it('gives an event whose doubt arose before it started a window from its start, and only then', () => {
    const { set, advance } = confirmations();
    advance(10_000);
    expect(set.horizonOf('before-start')).toBe(1_000 + WINDOW_MS);
    advance(WINDOW_MS);
    // A window after the start, nothing from before it can still land.
    expect(set.horizonOf('later')).toBe(11_000 + WINDOW_MS);
  });

  it('counts the looks that found nothing yet, for the backoff of the next', () => {
    const { set } = confirmations();
    set.noteDoubt('a', 5_000, true);
    expect([set.notYet('a'), set.notYet('a'), set.notYet('a')]).toEqual([1, 2, 3]);
  });

  it('shows how many events it is confirming (last attempt used), and forgets the settled ones', () => {
    const { set, counters } = confirmations();
    set.noteDoubt('a', 5_000, true);
    set.noteDoubt('b', 1_000, true);
    set.noteDoubt('still-trying', 1_000, false);
    expect(counters.confirming).toBe(2);
    set.forget('a');
    set.forget('still-trying');
    expect([set.size, counters.confirming]).toEqual([1, 1]);
  });

  it('lets go of doubts past their horizon once its start is a window behind', () => {
    const { set, counters, advance } = confirmations();
    set.noteDoubt('lost-lease', 2_000, true);
    advance(2 * WINDOW_MS);
    set.noteDoubt('new', 500_000, true);
    expect(counters.confirming).toBe(1);
  });
});

describe('mayStillLand', () => {
  const response = (status: number): HttpAnswer => ({ kind: 'response', status, headers: {}, body: '' });
  const unknown: EventOutcome = { type: 'unknown', id: 'a', countsAsAttempt: true, reason: 'x' };

  it('is true while HubSpot may still be at work: no answer, a gateway timeout, an accepted batch', () => {
    expect(mayStillLand({ kind: 'failure', failure: 'timeout', message: 't' }, unknown)).toBe(true);
    expect(mayStillLand({ kind: 'failure', failure: 'reset', message: 'r' }, unknown)).toBe(true);
    expect(mayStillLand(response(504), unknown)).toBe(true);
    expect(mayStillLand(response(201), { ...unknown, countsAsAttempt: false, accepted: true })).toBe(true);
  });

  it('is false once HubSpot answered the request, even with a 5xx or a 2xx that proves nothing', () => {
    expect(mayStillLand(response(503), unknown)).toBe(false);
    expect(mayStillLand(response(200), unknown)).toBe(false);
  });
});
