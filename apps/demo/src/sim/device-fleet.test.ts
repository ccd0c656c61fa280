import type { TimelineEventInput } from '@hubline/core';
import { createSeededRandom } from '@hubline/core';
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { EMULATOR_TEMPLATES } from './activity.js';
import { createDeviceFleet, type DeviceFleetOptions } from './device-fleet.js';

function setup(overrides: Partial<DeviceFleetOptions> & { untilMs: number }) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, overrides.untilMs);
  const recorded: TimelineEventInput[] = [];
  const fleet = createDeviceFleet({
    devices: 4,
    rate: 100,
    templates: EMULATOR_TEMPLATES,
    random: createSeededRandom(1),
    record: (input) => {
      recorded.push(input);
      return `id-${recorded.length}`;
    },
    scheduler,
    ...overrides,
  });
  return { scheduler, fleet, recorded };
}

describe('createDeviceFleet', () => {
  it('records at the fleet-wide rate, shared evenly by the kiosks', () => {
    const { scheduler, fleet, recorded } = setup({ untilMs: 10_000 });
    fleet.start();
    scheduler.flush();
    expect(recorded).toHaveLength(1000);
    const perDevice = new Map<unknown, number>();
    for (const input of recorded)
      perDevice.set(input.extraData?.device, (perDevice.get(input.extraData?.device) ?? 0) + 1);
    expect([...perDevice.values()]).toEqual([250, 250, 250, 250]);
    expect(fleet.recorded).toBe(1000);
  });

  it('stops at the limit, bursts included, and says so', () => {
    const { scheduler, fleet, recorded } = setup({ untilMs: 60_000, limit: 300 });
    const reached: boolean[] = [];
    fleet.limitReached$.subscribe((value) => reached.push(value));
    expect(fleet.burst(120)).toHaveLength(120);
    fleet.start();
    scheduler.flush();
    expect(recorded).toHaveLength(300);
    expect(fleet.running).toBe(false);
    expect(reached).toEqual([false, true]);
    expect(fleet.burst(10)).toEqual([]);
  });

  it('keeps going when the outbox refuses one event, and counts the refusals', () => {
    let calls = 0;
    const { scheduler, fleet } = setup({
      untilMs: 1000,
      record: () => {
        calls += 1;
        if (calls % 10 === 0) throw new Error('full');
        return `id-${calls}`;
      },
    });
    fleet.start();
    scheduler.flush();
    expect(fleet.errors).toBe(10);
    expect(fleet.recorded).toBe(90);
  });

  it('records nothing after stop()', () => {
    const { scheduler, fleet, recorded } = setup({ untilMs: 5000 });
    fleet.start();
    scheduler.schedule(() => fleet.stop(), 1025);
    scheduler.flush();
    expect(recorded).toHaveLength(100);
  });
});
