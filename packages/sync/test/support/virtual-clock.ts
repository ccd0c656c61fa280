import { VirtualTimeScheduler } from 'rxjs';

/** A virtual clock whose timers and promise continuations interleave as they would in real time. */
export interface VirtualClock {
  readonly scheduler: VirtualTimeScheduler;
  now(): number;
  /** Run every timer due up to `now() + ms`, letting promises settle between timers. */
  advance(ms: number): Promise<void>;
  /** Let pending promise continuations run without moving time. */
  settle(): Promise<void>;
}

const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Where virtual time starts by default: 2026-01-01T00:00:00Z, a time a store accepts as a real clock reading. */
export const VIRTUAL_EPOCH = Date.UTC(2026, 0, 1);

/**
 * Create a virtual clock starting at `start` (epoch ms). Because the outbox is synchronous and transports return
 * promises, each timer is run on its own and microtasks are drained before the next one, so an engine waiting on a
 * promise sees time move exactly as scheduled.
 */
export function createVirtualClock(start = VIRTUAL_EPOCH): VirtualClock {
  const scheduler = new VirtualTimeScheduler();
  scheduler.frame = start;
  const settle = async (): Promise<void> => {
    await macrotask();
    await macrotask();
  };
  return {
    scheduler,
    now: () => scheduler.now(),
    settle,
    async advance(ms) {
      const target = scheduler.frame + ms;
      // A runaway schedule (a timer re-arming itself at the same instant) fails the test instead of spinning.
      for (let steps = 0; ; steps += 1) {
        if (steps > 200_000) throw new Error(`virtual clock: more than 200000 timers before ${target}`);
        await settle();
        const next = scheduler.actions[0];
        if (next === undefined || next.delay > target) break;
        scheduler.maxFrames = next.delay;
        scheduler.flush();
      }
      scheduler.frame = target;
      await settle();
    },
  };
}
