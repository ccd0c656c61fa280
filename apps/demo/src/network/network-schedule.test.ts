import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createNetworkSchedule } from './network-schedule.js';

describe('createNetworkSchedule', () => {
  it('applies each phase when it begins and repeats the cycle', () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, 25_000);
    const changes: [number, boolean][] = [];
    const schedule = createNetworkSchedule({
      phases: [
        { online: true, ms: 7000 },
        { online: false, ms: 3000 },
      ],
      apply: (online) => changes.push([scheduler.now(), online]),
      scheduler,
    });
    schedule.start();
    scheduler.flush();
    expect(changes).toEqual([
      [0, true],
      [7000, false],
      [10_000, true],
      [17_000, false],
      [20_000, true],
    ]);
  });

  it('leaves the network as it is once stopped', () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, 60_000);
    const changes: boolean[] = [];
    const schedule = createNetworkSchedule({
      phases: [
        { online: true, ms: 1000 },
        { online: false, ms: 1000 },
      ],
      apply: (online) => changes.push(online),
      scheduler,
    });
    schedule.start();
    scheduler.schedule(() => schedule.stop(), 1500);
    scheduler.flush();
    expect(changes).toEqual([true, false]);
    expect(schedule.running).toBe(false);
  });
});
