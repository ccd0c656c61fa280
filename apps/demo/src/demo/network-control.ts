import { BehaviorSubject, type Observable, type SchedulerLike } from 'rxjs';
import { createNetworkSchedule, type NetworkPhase } from '../network/network-schedule.js';
import { createOutageLog, type OutageSummary } from './outage-log.js';

/** Why the outage schedule can no longer be followed. */
export type ScheduleLock = 'no-drops' | 'all-recorded' | 'shutting-down';

/** Most telling first: when several hold, a person is told the first. */
const LOCK_ORDER: readonly ScheduleLock[] = ['no-drops', 'all-recorded', 'shutting-down'];

const LOCK_MESSAGES: Readonly<Record<ScheduleLock, string>> = {
  'no-drops': 'there is no outage schedule: this demo runs with --no-drops',
  'all-recorded': 'every --events event is recorded: the network stays up until the backlog is sent',
  'shutting-down': 'the demo is shutting down',
};

/** Options of {@link createNetworkControl}. */
export interface NetworkControlOptions {
  /** The outage schedule, repeated in order. */
  readonly phases: readonly NetworkPhase[];
  /** Whether the network drops on the schedule (`--drops`); without it the schedule never runs. */
  readonly drops: boolean;
  /** Opens or closes the emulator's listener; absent against real HubSpot, where only the engine is told. */
  readonly setListenerOnline?: ((online: boolean) => Promise<void>) | undefined;
  /** Receives a line for the terminal when something changes hands or fails. */
  readonly notice: (line: string) => void;
  /** Epoch ms, for the outage log. */
  readonly now: () => number;
  /** Times the schedule's phases. @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/** The simulated network: the engine's `online$` and the emulator's listener, moved together. */
export interface NetworkControl {
  /** What the engine is told; starts up. */
  readonly online$: Observable<boolean>;
  /** Whether the engine is told the network is up. */
  readonly online: boolean;
  /** The state last asked for (a switch may still be under way). */
  readonly wanted: boolean;
  /** Whether the outage schedule is driving the network. */
  readonly scheduled: boolean;
  /** Whether {@link NetworkControl.resumeSchedule} would hand the network back to the schedule. */
  readonly scheduleAvailable: boolean;
  /** Start the outage schedule, unless it is locked. */
  start(): void;
  /** Switch by hand; a running schedule stops, with a notice. Resolves once the switch is in place. */
  set(online: boolean): Promise<void>;
  /**
   * Hand the network back to the schedule, starting with its first phase; resolves once that phase's state is
   * in place.
   * @throws RangeError naming why, when the schedule is locked
   */
  resumeSchedule(): Promise<void>;
  /** Stop the schedule for good (every `--events` event recorded, or shutting down); the network stays as it is. */
  lock(reason: Exclude<ScheduleLock, 'no-drops'>): void;
  /** The outages so far. */
  outages(): OutageSummary;
}

/**
 * The network switch of the demo. Changes apply one at a time and only the latest wins: a switch asked for while
 * another is under way replaces any not yet started. Going down, the engine is told first, then the listener
 * closes; coming back, the listener opens first, so the engine never probes a closed port.
 *
 * @param options - see {@link NetworkControlOptions}
 * @example
 * ```ts
 * const network = createNetworkControl({ phases: DEFAULT_NETWORK_PHASES, drops: true,
 *   setListenerOnline: (up) => emulator.setOnline(up), notice: console.log, now: Date.now });
 * const engine = createSyncEngine({ ..., online$: network.online$ });
 * network.start();
 * ```
 */
export function createNetworkControl(options: NetworkControlOptions): NetworkControl {
  const online$ = new BehaviorSubject(true);
  const outageLog = createOutageLog();
  const locks = new Set<ScheduleLock>(options.drops ? [] : ['no-drops']);
  let wanted = true;
  let queue: Promise<void> = Promise.resolve();

  const tellEngine = (online: boolean): void => {
    outageLog.observe(online, options.now());
    online$.next(online);
  };

  function apply(online: boolean): Promise<void> {
    wanted = online;
    queue = queue
      .then(async () => {
        if (wanted !== online) return;
        if (online) {
          await options.setListenerOnline?.(true);
          tellEngine(true);
        } else {
          tellEngine(false);
          await options.setListenerOnline?.(false);
        }
      })
      .catch((error: unknown) => options.notice(`network switch failed: ${String(error)}`));
    return queue;
  }

  const schedule = createNetworkSchedule({
    phases: options.phases,
    apply: (online) => void apply(online),
    ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
  });
  const firstLock = (): ScheduleLock | undefined => LOCK_ORDER.find((lock) => locks.has(lock));

  return {
    online$: online$.asObservable(),
    get online() {
      return online$.value;
    },
    get wanted() {
      return wanted;
    },
    get scheduled() {
      return schedule.running;
    },
    get scheduleAvailable() {
      return locks.size === 0;
    },
    start() {
      if (locks.size === 0) schedule.start();
    },
    async set(online) {
      if (schedule.running) {
        schedule.stop();
        options.notice('network under manual control: the outage schedule is off');
      }
      await apply(online);
    },
    async resumeSchedule() {
      const lock = firstLock();
      if (lock !== undefined) throw new RangeError(LOCK_MESSAGES[lock]);
      if (schedule.running) return;
      schedule.start();
      options.notice('network back on the outage schedule');
      await queue;
    },
    lock(reason) {
      locks.add(reason);
      schedule.stop();
    },
    outages() {
      return outageLog.summary(options.now());
    },
  };
}
