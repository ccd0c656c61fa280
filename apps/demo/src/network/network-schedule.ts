import { asyncScheduler, type SchedulerLike, type Subscription, timer } from 'rxjs';

/** One stretch of the simulated network: up or down for a while. */
export interface NetworkPhase {
  /** Whether the network is up during the phase. */
  readonly online: boolean;
  /** How long the phase lasts, in ms. */
  readonly ms: number;
}

/**
 * The default outage pattern: 7 s up, 3 s down, over and over — short enough that a backlog builds and drains
 * several times a minute, which is the whole point of watching the demo.
 */
export const DEFAULT_NETWORK_PHASES: readonly NetworkPhase[] = Object.freeze([
  { online: true, ms: 7000 },
  { online: false, ms: 3000 },
]);

/** Options of {@link createNetworkSchedule}. */
export interface NetworkScheduleOptions {
  /** The phases, repeated in order. */
  readonly phases: readonly NetworkPhase[];
  /** Flips the network (the emulator's listener and the engine's `online$`). */
  readonly apply: (online: boolean) => void;
  /** @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/** A running outage schedule. */
export interface NetworkSchedule {
  /** Enter the first phase now and cycle through the rest. */
  start(): void;
  /** Stop flipping; the network stays as it is. */
  stop(): void;
  /** Whether the schedule is cycling. */
  readonly running: boolean;
}

/**
 * Drops and restores the simulated network on a fixed, repeating schedule.
 *
 * @param options - see {@link NetworkScheduleOptions}
 * @example
 * ```ts
 * const schedule = createNetworkSchedule({ phases: DEFAULT_NETWORK_PHASES, apply: (up) => network.set(up) });
 * schedule.start();
 * ```
 */
export function createNetworkSchedule(options: NetworkScheduleOptions): NetworkSchedule {
  const scheduler = options.scheduler ?? asyncScheduler;
  let pending: Subscription | undefined;

  function enter(index: number): void {
    const phase = options.phases[index % options.phases.length];
    if (phase === undefined) return;
    options.apply(phase.online);
    pending = timer(Math.max(1, phase.ms), scheduler).subscribe(() => enter(index + 1));
  }

  return {
    start() {
      if (pending !== undefined) return;
      enter(0);
    },
    stop() {
      pending?.unsubscribe();
      pending = undefined;
    },
    get running() {
      return pending !== undefined;
    },
  };
}
