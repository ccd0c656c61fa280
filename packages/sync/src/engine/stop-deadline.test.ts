import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../test/support/virtual-clock.js';
import { createStopDeadline } from './stop-deadline.js';

function setup() {
  const clock = createVirtualClock();
  const fired: number[] = [];
  const deadline = createStopDeadline(clock.scheduler, () => fired.push(clock.now()));
  return { clock, fired, deadline, start: clock.now() };
}

describe('createStopDeadline', () => {
  it('fires once, timeoutMs after it is set, and resolves reached', async () => {
    const { clock, fired, deadline, start } = setup();
    let reached = false;
    void deadline.reached.then(() => (reached = true));

    deadline.set(500);
    await clock.advance(499);
    expect(deadline.passed()).toBe(false);
    await clock.advance(1);

    expect(fired).toEqual([start + 500]);
    expect(deadline.passed()).toBe(true);
    expect(reached).toBe(true);
  });

  it('keeps the earliest of several deadlines: a later set can only bring it closer', async () => {
    const { clock, fired, deadline, start } = setup();

    deadline.set(1000);
    deadline.set(300);
    deadline.set(5000);
    await clock.advance(10_000);

    expect(fired).toEqual([start + 300]);
  });

  it('fires at once for 0, and never again', async () => {
    const { clock, fired, deadline, start } = setup();

    deadline.set(0);
    deadline.set(0);
    await clock.advance(1000);

    expect(fired).toEqual([start]);
  });

  it('does not fire once cancelled', async () => {
    const { clock, fired, deadline } = setup();

    deadline.set(100);
    deadline.cancel();
    await clock.advance(1000);

    expect(fired).toEqual([]);
    expect(deadline.passed()).toBe(false);
  });
});
