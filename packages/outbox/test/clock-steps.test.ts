import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOutbox } from '../src/open-outbox.js';
import { manualClock, sampleInput, type TempDir, tempDir } from './support.js';

const HOUR = 3_600_000;

/* The contract suite steps the clock under a running store; these are the SQLite outbox's own cases. */
describe('Outbox and a clock that steps back', () => {
  let temp: TempDir;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.remove());

  it('finds a step that happened while it was closed: the high-water mark lives in the file', () => {
    const clock = manualClock();
    const path = temp.path();
    const before = openOutbox({ path, clock: clock.now });
    const id = before.record(sampleInput(1));
    before.claim({ limit: 1, leaseMs: 30_000, owner: 'a' });
    before.settle('a', [{ id, type: 'failed', reason: 'HTTP 503', countsAsAttempt: true, delayMs: 60_000 }]);
    before.budgets.pause('portal-1', 600_000, '429 DAILY');
    before.close();

    // The device restarts with its clock an hour behind (a dead RTC battery, then a wrong NTP answer).
    clock.advance(-HOUR);
    const after = openOutbox({ path, clock: clock.now });
    expect(after.nextDueIn()).toBe(60_000);
    expect(after.budgets.pausedFor('portal-1')).toEqual({ remainingMs: 600_000, reason: '429 DAILY' });
    expect(after.history(id).at(-1)?.event).toEqual({
      type: 'ClockSteppedBack',
      at: clock.now(),
      stepMs: HOUR,
    });
    clock.advance(60_000);
    expect(after.claim({ limit: 1, leaseMs: 30_000, owner: 'b' }).map((entry) => entry.id)).toEqual([id]);
    after.close();
  });

  it('absorbs a step once although two connections see it', () => {
    const clock = manualClock();
    const path = temp.path();
    const first = openOutbox({ path, clock: clock.now });
    const second = openOutbox({ path, clock: clock.now });
    const id = first.record(sampleInput(1));
    first.claim({ limit: 1, leaseMs: 30_000, owner: 'a' });
    clock.advance(-2 * HOUR);
    first.record(sampleInput(2));
    second.record(sampleInput(3));
    expect(first.history(id).filter((record) => record.event.type === 'ClockSteppedBack')).toHaveLength(1);
    expect(second.nextDueIn()).toBe(0);
    clock.advance(30_000);
    expect(second.claim({ limit: 5, leaseMs: 30_000, owner: 'b' }).map((entry) => entry.id)).toContain(id);
    first.close();
    second.close();
  });
});
