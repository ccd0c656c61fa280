import { startEmulator } from '@hubline/emulator';
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createNetworkControl, type NetworkControlOptions } from './network-control.js';

/** Let queued network switches (promise callbacks only, no listener) run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function scheduled(overrides: Partial<NetworkControlOptions> = {}) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, 0);
  const notices: string[] = [];
  const network = createNetworkControl({
    phases: [
      { online: true, ms: 1000 },
      { online: false, ms: 1000 },
    ],
    drops: true,
    notice: (line) => notices.push(line),
    now: () => scheduler.now(),
    scheduler,
    ...overrides,
  });
  /** Run the schedule up to `ms` of virtual time, then let the switches it asked for happen. */
  const advanceTo = async (ms: number): Promise<void> => {
    scheduler.schedule(() => {}, ms - scheduler.frame);
    scheduler.maxFrames = ms;
    scheduler.flush();
    await settle();
  };
  return { network, notices, advanceTo };
}

describe('createNetworkControl', () => {
  it("tells the engine before closing the emulator's listener, and opens the listener before telling the engine", async () => {
    await using emulator = await startEmulator();
    const seen: string[] = [];
    const network = createNetworkControl({
      phases: [{ online: true, ms: 1000 }],
      drops: false,
      setListenerOnline: async (online) => {
        seen.push(`listener ${online ? 'opens' : 'closes'}; engine told ${network.online ? 'up' : 'down'}`);
        await emulator.setOnline(online);
      },
      notice: () => {},
      now: () => 0,
    });
    await network.set(false);
    expect(emulator.online).toBe(false);
    expect(network.online).toBe(false);
    await network.set(true);
    expect(emulator.online).toBe(true);
    expect(network.online).toBe(true);
    expect(seen).toEqual(['listener closes; engine told down', 'listener opens; engine told down']);
  });

  it('applies only the latest of switches asked for while one is under way', async () => {
    const calls: boolean[] = [];
    const engineSaw: boolean[] = [];
    const network = createNetworkControl({
      phases: [{ online: true, ms: 1000 }],
      drops: false,
      setListenerOnline: async (online) => {
        calls.push(online);
      },
      notice: () => {},
      now: () => 0,
    });
    network.online$.subscribe((online) => engineSaw.push(online));
    void network.set(false);
    void network.set(true);
    expect(network.wanted).toBe(true);
    await network.set(false);
    expect(network.online).toBe(false);
    // The switch back up was overtaken before it started: neither the listener nor the engine ever saw it.
    expect(calls).not.toContain(true);
    expect(engineSaw.slice(1)).not.toContain(true);
  });

  it('follows the schedule, gives way to a person, and takes over again from its first phase', async () => {
    const { network, notices, advanceTo } = scheduled();
    network.start();
    expect(network).toMatchObject({ scheduled: true, online: true, scheduleAvailable: true });
    await advanceTo(1000);
    expect(network.online).toBe(false);
    await advanceTo(1500);
    await network.set(true);
    expect(network).toMatchObject({ scheduled: false, online: true });
    expect(notices).toEqual(['network under manual control: the outage schedule is off']);
    await advanceTo(3000);
    expect(network.online).toBe(true);
    await network.set(false);
    await network.resumeSchedule();
    expect(network).toMatchObject({ scheduled: true, online: true });
    expect(notices.at(-1)).toBe('network back on the outage schedule');
    await advanceTo(4000);
    expect(network.online).toBe(false);
    expect(network.outages()).toEqual({ outages: 3, offlineMs: 500 });
  });

  it('counts the time down up to now for an outage still under way', async () => {
    const { network, advanceTo } = scheduled();
    network.start();
    await advanceTo(1000);
    await advanceTo(1750);
    expect(network.outages()).toEqual({ outages: 1, offlineMs: 750 });
  });

  it('refuses to resume a schedule it cannot follow, saying why, most telling reason first', async () => {
    const noDrops = scheduled({ drops: false }).network;
    noDrops.start();
    expect(noDrops).toMatchObject({ scheduled: false, scheduleAvailable: false });
    await expect(noDrops.resumeSchedule()).rejects.toThrow(/--no-drops/);

    const { network } = scheduled();
    network.start();
    network.lock('shutting-down');
    expect(network).toMatchObject({ scheduled: false, scheduleAvailable: false });
    await expect(network.resumeSchedule()).rejects.toThrow('the demo is shutting down');
    network.lock('all-recorded');
    await expect(network.resumeSchedule()).rejects.toThrow(
      'every --events event is recorded: the network stays up until the backlog is sent',
    );
    expect(network.online).toBe(true);
  });

  it('says so when a switch fails, and keeps going', async () => {
    const notices: string[] = [];
    const network = createNetworkControl({
      phases: [{ online: true, ms: 1000 }],
      drops: false,
      setListenerOnline: async () => {
        throw new Error('listener stuck');
      },
      notice: (line) => notices.push(line),
      now: () => 0,
    });
    await network.set(false);
    expect(notices).toEqual(['network switch failed: Error: listener stuck']);
    expect(network.online).toBe(false);
  });
});
