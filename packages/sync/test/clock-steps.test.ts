/**
 * The wall clock steps (NTP, a dead RTC battery, a person setting the time) by ±1 hour and ±1 day around a record,
 * a retry, a lease and a request in flight. The outbox reads an injected clock that steps; the engine keeps its
 * default monotonic scheduler; HubSpot is the emulator over HTTP. No event may wait beyond its own backoff or lease
 * because of a step, never-attempted events are due at once, and delivery stays exactly once.
 */
import { v3Dialect } from '@hubline/core';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '@hubline/emulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { SyncEngine, SyncEngineOptions, SyncOutcome } from '../src/engine/types.js';
import {
  fastEngineOptions,
  openTempOutbox,
  startRecording,
  storedById,
  type TempOutbox,
  until,
  visit,
} from './support/integration.js';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const STEPS = [
  ['forward 1 h', HOUR],
  ['back 1 h', -HOUR],
  ['forward 1 day', DAY],
  ['back 1 day', -DAY],
] as const;

/** How late, beyond what the event itself waits for, a delivery may come on a loaded machine. */
const SLACK_MS = 1500;

/** An outbox whose clock reads real time plus an offset the test steps, and an emulator to deliver to. */
async function steppedWorld(emulatorOptions: EmulatorOptions = {}): Promise<{
  emulator: RunningEmulator;
  temp: TempOutbox;
  step(ms: number): void;
  start(options?: Partial<SyncEngineOptions>): { engine: SyncEngine; outcomes: SyncOutcome[] };
}> {
  let offset = 0;
  const emulator = await startEmulator(emulatorOptions);
  const temp = openTempOutbox({ clock: () => Date.now() + offset });
  const engines: SyncEngine[] = [];
  onTestFinished(async () => {
    await Promise.all(engines.map((engine) => engine.stop({ timeoutMs: 0 })));
    await emulator.stop();
    temp.dispose();
  });
  return {
    emulator,
    temp,
    step(ms) {
      offset += ms;
    },
    start(options = {}) {
      const started = startRecording(
        fastEngineOptions(emulator, temp.outbox, v3Dialect, { batchDelayMs: 0, ...options }),
      );
      engines.push(started.engine);
      return started;
    },
  };
}

function expectOnceEach(emulator: RunningEmulator, ids: readonly string[]): void {
  const stored = storedById(emulator);
  expect(ids.map((id) => stored.get(id)?.length ?? 0)).toEqual(ids.map(() => 1));
}

describe.each(STEPS)('the wall clock steps %s', (_name, stepMs) => {
  it('around record: events recorded before and after the step are due at once', {
    timeout: 20_000,
  }, async () => {
    const world = await steppedWorld();
    const before = world.temp.outbox.recordMany([visit(1), visit(2)]);
    world.step(stepMs);
    const after = world.temp.outbox.recordMany([visit(3)]);
    const started = Date.now();
    const { engine } = world.start();
    await Promise.all([...before, ...after].map((id) => engine.whenDelivered(id)));

    expect(Date.now() - started).toBeLessThan(SLACK_MS);
    expectOnceEach(world.emulator, [...before, ...after]);
  });

  it('around a retry: the event waits its backoff, not the step', { timeout: 20_000 }, async () => {
    const world = await steppedWorld({ faults: { sequence: ['error-503'], htmlBodyRate: 0 } });
    // random 0.999: the first backoff is (almost) its whole ceiling, 800 ms.
    const { engine, outcomes } = world.start({ backoff: { baseMs: 800, maxMs: 800 }, random: () => 0.999 });
    const [id] = world.temp.outbox.recordMany([visit(1)]);
    await until(() => outcomes.some((outcome) => outcome.type === 'retrying'), 5000, 'the 503');
    const failedAt = Date.now();
    world.step(stepMs);
    await engine.whenDelivered(id!);

    expect(Date.now() - failedAt).toBeLessThan(800 + SLACK_MS);
    expect(world.temp.outbox.get(id!)?.attempts).toBe(1);
    expectOnceEach(world.emulator, [id!]);
    const steppedBack = world.temp.outbox.history(id!).some(({ event }) => event.type === 'ClockSteppedBack');
    expect(steppedBack).toBe(stepMs < 0);
  });

  it('around a lease: an entry leased by an engine that went quiet is due when its lease ends', {
    timeout: 20_000,
  }, async () => {
    const world = await steppedWorld();
    const [id] = world.temp.outbox.recordMany([visit(1)]);
    // Another engine of this process claimed it and then hung: its lease (1.5 s) is what holds the event.
    const leaseMs = 1500;
    expect(world.temp.outbox.claim({ limit: 1, leaseMs, owner: 'hung-engine' })).toHaveLength(1);
    const claimedAt = Date.now();
    const { engine } = world.start();
    world.step(stepMs);
    await engine.whenDelivered(id!);

    const waited = Date.now() - claimedAt;
    expect(waited).toBeLessThan(leaseMs + SLACK_MS);
    // A step back moves the lease's end back with it: it still runs its length, no shorter.
    if (stepMs < 0) expect(waited).toBeGreaterThanOrEqual(leaseMs - 300);
    expectOnceEach(world.emulator, [id!]);
    const expired = world.temp.outbox.history(id!).find(({ event }) => event.type === 'LeaseExpired');
    expect(expired?.event).toMatchObject({ owner: 'hung-engine' });
  });

  it('with a request in flight: the engine settles its answer, and the event is stored once', {
    timeout: 20_000,
  }, async () => {
    const world = await steppedWorld({ faults: { sequence: ['slow'], slowMs: 1000 } });
    const { engine, outcomes } = world.start({ requestTimeoutMs: 3000 });
    const [id] = world.temp.outbox.recordMany([visit(1)]);
    await until(() => world.emulator.requests().length > 0, 5000, 'the request');
    world.step(stepMs);
    await engine.whenDelivered(id!);
    await until(
      () => world.emulator.requests().every((request) => request.durationMs !== undefined),
      5000,
      'every request to end',
    );

    expectOnceEach(world.emulator, [id!]);
    expect(world.temp.outbox.get(id!)?.attempts).toBe(0);
    expect(outcomes.filter((outcome) => outcome.id === id)).toEqual([
      { type: 'delivered', id, alreadyExisted: false },
    ]);
  });
});
