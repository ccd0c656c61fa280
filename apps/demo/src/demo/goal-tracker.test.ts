import { describe, expect, it } from 'vitest';
import { createGoalTracker } from './goal-tracker.js';

/** Whether `promise` has settled, once pending callbacks have run. */
async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('createGoalTracker', () => {
  it('is reached once every goal event is recorded and each is delivered or dead-lettered', async () => {
    const tracker = createGoalTracker(3);
    tracker.recorded('a');
    tracker.recorded('b');
    tracker.settled({ type: 'delivered', id: 'a', alreadyExisted: false });
    tracker.settled({ type: 'dead', id: 'b', category: 'VALIDATION_ERROR', message: 'bad' });
    expect(await hasSettled(tracker.reached)).toBe(false);
    tracker.recorded('c');
    tracker.settled({
      type: 'retrying',
      id: 'c',
      reason: 'HTTP 503',
      countsAsAttempt: true,
      attempts: 1,
      nextAttemptAt: 0,
    });
    expect(await hasSettled(tracker.reached)).toBe(false);
    tracker.settled({ type: 'delivered', id: 'c', alreadyExisted: true });
    expect(await hasSettled(tracker.reached)).toBe(true);
    expect(tracker.fates()).toEqual({ delivered: 2, dead: 1, alreadyExisted: 1 });
    expect(tracker.interrupted()).toBe(false);
  });

  it("ignores outcomes of events an earlier run recorded (a resumed outbox's backlog)", () => {
    const tracker = createGoalTracker(1);
    tracker.recorded('mine');
    tracker.settled({ type: 'delivered', id: 'older', alreadyExisted: true });
    expect(tracker.fates()).toEqual({ delivered: 0, dead: 0, alreadyExisted: 0 });
    expect(tracker.interrupted()).toBe(true);
  });

  it('counts a requeued dead letter that is then delivered as delivered, and an already-existed answer once', () => {
    const tracker = createGoalTracker(1);
    tracker.recorded('a');
    tracker.settled({ type: 'dead', id: 'a', category: 'MAX_ATTEMPTS', message: 'too many attempts' });
    expect(tracker.fates()).toEqual({ delivered: 0, dead: 1, alreadyExisted: 0 });
    tracker.settled({ type: 'delivered', id: 'a', alreadyExisted: true });
    tracker.settled({ type: 'delivered', id: 'a', alreadyExisted: true });
    expect(tracker.fates()).toEqual({ delivered: 1, dead: 0, alreadyExisted: 1 });
  });

  it('is met at once by a goal of 0, on the first check', async () => {
    const tracker = createGoalTracker(0);
    expect(await hasSettled(tracker.reached)).toBe(false);
    tracker.check();
    expect(await hasSettled(tracker.reached)).toBe(true);
  });

  it('without a goal: never reached, tracks no ids, reports no fates, and any stop is an interruption', async () => {
    const tracker = createGoalTracker(undefined);
    tracker.recorded('a');
    tracker.settled({ type: 'delivered', id: 'a', alreadyExisted: false });
    tracker.check();
    expect(tracker.ids.size).toBe(0);
    expect(tracker.fates()).toBeNull();
    expect(tracker.interrupted()).toBe(true);
    expect(await hasSettled(tracker.reached)).toBe(false);
  });
});
