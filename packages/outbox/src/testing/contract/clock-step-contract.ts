import { expect, it } from 'vitest';
import { type ContractHarness, input, typesOf } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The steps every test below is run with: the clock jumps by this much, forward or back. */
const STEPS = [
  ['back 1 h', -HOUR],
  ['back 1 day', -DAY],
  ['forward 1 h', HOUR],
  ['forward 1 day', DAY],
] as const;

/** Who reads the clock first after a step: another handle on the store, or the settle that follows it. */
const FIRST_TO_SEE = ['another handle', 'the settle'] as const;

/**
 * Steps of the wall clock (NTP, a dead RTC battery, a person setting the time): whichever way the clock jumps,
 * no event waits longer than its own backoff, leases end on time, and histories keep what the clock said.
 *
 * @param h - the suite's harness
 */
export function clockStepContract(h: ContractHarness): void {
  it.each(STEPS)('keeps recorded events due at once when the clock steps %s', async (_name, stepMs) => {
    const store = await h.open();
    const before = await store.record(input(1));
    h.clock.advance(stepMs);
    const after = await store.record(input(2));
    expect(await store.nextDueIn()).toBe(0);
    const claimed = await store.claim({ limit: 10, leaseMs: 30_000, owner: 'a' });
    expect(claimed.map((entry) => entry.id).sort()).toEqual([before, after].sort());
  });

  it.each(STEPS)('retries no later than the backoff when the clock steps %s', async (_name, stepMs) => {
    const store = await h.open();
    const id = await store.record(input(1));
    await store.claim({ limit: 1, leaseMs: 30_000, owner: 'a' });
    await store.settle('a', [
      { id, type: 'failed', reason: 'HTTP 503', countsAsAttempt: true, delayMs: 60_000 },
    ]);
    h.clock.advance(stepMs);
    if (stepMs < 0) {
      // Back: the minute of backoff is still to wait, not a minute plus the step.
      expect(await store.nextDueIn()).toBe(60_000);
      expect(await store.claim({ limit: 1, leaseMs: 30_000, owner: 'a' })).toEqual([]);
      h.clock.advance(59_000);
      expect(await store.claim({ limit: 1, leaseMs: 30_000, owner: 'a' })).toEqual([]);
      h.clock.advance(1_000);
    }
    // Forward: the backoff is over by the clock; the entry is due at once.
    expect((await store.claim({ limit: 1, leaseMs: 30_000, owner: 'a' })).map((entry) => entry.id)).toEqual([
      id,
    ]);
    expect(await store.get(id)).toMatchObject({ status: 'leased', attempts: 1 });
  });

  it.each(STEPS.flatMap(([name, stepMs]) => FIRST_TO_SEE.map((first) => [name, stepMs, first] as const)))(
    'settles a lease its owner still holds when the clock stepped %s (%i ms) after the claim, seen first by %s',
    async (_name, stepMs, firstToSee) => {
      const store = await h.open();
      const other = await h.connect(store);
      const [delivered, failed] = await store.recordMany([input(1), input(2)]);
      await store.claim({ limit: 2, leaseMs: 30_000, owner: 'a' });
      h.clock.advance(stepMs + 1_000);
      // Whoever sees a step back first absorbs it; the lease is still the owner's either way.
      if (firstToSee === 'another handle') await other.nextDueIn();
      const result = await store.settle('a', [
        { id: delivered!, type: 'delivered', alreadyExisted: false },
        { id: failed!, type: 'failed', reason: 'HTTP 503', countsAsAttempt: true, delayMs: 60_000 },
      ]);
      // Forward past the lease's end it ran out, but nobody took it over: it settles all the same.
      expect(result).toEqual({ applied: [delivered, failed], lost: [], deadLettered: [] });
      expect(await store.get(delivered!)).toMatchObject({ status: 'delivered' });
      // The retry waits its own minute from the settle, not a minute less or more the step.
      expect(await store.nextDueIn()).toBe(60_000);
      expect(await store.stats()).toMatchObject({ pending: 1, inFlight: 0, delivered: 1 });
    },
  );

  it.each(STEPS)('ends a lease on time when the clock steps %s', async (_name, stepMs) => {
    const store = await h.open();
    const id = await store.record(input(1));
    await store.claim({ limit: 1, leaseMs: 30_000, owner: 'crashed' });
    h.clock.advance(stepMs);
    if (stepMs < 0) {
      expect(await store.nextDueIn()).toBe(30_000);
      expect(await store.claim({ limit: 1, leaseMs: 30_000, owner: 'b' })).toEqual([]);
      h.clock.advance(30_000);
    }
    expect((await store.claim({ limit: 1, leaseMs: 30_000, owner: 'b' })).map((entry) => entry.id)).toEqual([
      id,
    ]);
    expect((await store.settle('crashed', [{ id, type: 'delivered', alreadyExisted: false }])).lost).toEqual([
      id,
    ]);
    expect((await store.settle('b', [{ id, type: 'delivered', alreadyExisted: false }])).applied).toEqual([
      id,
    ]);
  });

  it.each(STEPS)(
    'keeps a budget paused for no longer than asked when the clock steps %s',
    async (_name, stepMs) => {
      const store = await h.open();
      await store.budgets.pause('portal-1', 600_000, '429 DAILY');
      h.clock.advance(stepMs);
      expect(await store.budgets.pausedFor('portal-1')).toEqual(
        stepMs < 0 ? { remainingMs: 600_000, reason: '429 DAILY' } : undefined,
      );
    },
  );

  it('moves waits back once, keeping in the history what the clock said, whichever handle sees the step first', async () => {
    const store = await h.open();
    const other = await h.connect(store);
    const [waiting, done] = await store.recordMany([input(1), input(2)]);
    await store.claim({ limit: 2, leaseMs: 30_000, owner: 'a' });
    const settledAt = h.clock.now();
    await store.settle('a', [
      { id: waiting!, type: 'failed', reason: 'offline', countsAsAttempt: false, delayMs: 120_000 },
      { id: done!, type: 'delivered', alreadyExisted: false },
    ]);
    h.clock.advance(-HOUR);
    expect(await other.nextDueIn()).toBe(120_000);
    expect(await store.nextDueIn()).toBe(120_000);
    expect(await typesOf(store, waiting!)).toEqual(['Recorded', 'Claimed', 'Failed', 'ClockSteppedBack']);
    const history = await store.history(waiting!);
    expect(history[2]?.event).toMatchObject({
      type: 'Failed',
      at: settledAt,
      nextAttemptAt: settledAt + 120_000,
    });
    expect(history[3]?.event).toEqual({ type: 'ClockSteppedBack', at: settledAt - HOUR, stepMs: HOUR });
    expect(await store.get(waiting!)).toMatchObject({ nextAttemptAt: settledAt - HOUR + 120_000 });
    // A delivered entry waits for nothing: its history is left alone.
    expect(await typesOf(store, done!)).toEqual(['Recorded', 'Claimed', 'Delivered']);
  });

  it('lets a small step back pass without moving anything', async () => {
    const store = await h.open();
    const id = await store.record(input(1));
    await store.claim({ limit: 1, leaseMs: 30_000, owner: 'a' });
    h.clock.advance(-500);
    expect(await store.nextDueIn()).toBe(30_500);
    expect(await typesOf(store, id)).toEqual(['Recorded', 'Claimed']);
  });
}
