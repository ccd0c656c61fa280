import type { RandomSource, TimelineEventInput } from '@hubline/core';
import {
  asyncScheduler,
  BehaviorSubject,
  interval,
  type Observable,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import {
  type ActivityTemplates,
  createActivity,
  createDevices,
  createInvalidActivity,
  type Device,
} from './activity.js';

/** Options of {@link createDeviceFleet}. */
export interface DeviceFleetOptions {
  /** How many kiosks. */
  readonly devices: number;
  /** Events per second for the whole fleet, shared evenly by the devices. */
  readonly rate: number;
  /** Stop recording after this many events (bursts included). @default unlimited */
  readonly limit?: number;
  /** Which template each kind of activity uses. */
  readonly templates: ActivityTemplates;
  /** Seeded randomness. */
  readonly random: RandomSource;
  /** Stores one event and returns its id (the outbox's `record`). */
  readonly record: (input: TimelineEventInput) => string;
  /** Called with every id recorded, in order. */
  readonly onRecorded?: (id: string) => void;
  /** How often the fleet catches up on due events, in ms. @default 50 */
  readonly tickMs?: number;
  /** @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/** A running fleet of simulated kiosks. */
export interface DeviceFleet {
  /** Start recording at the configured rate. */
  start(): void;
  /** Stop recording; what is recorded stays recorded. */
  stop(): void;
  /** Record `count` events at once (a queue at the doors), capped by the limit. Returns their ids. */
  burst(count: number): string[];
  /** Record one event HubSpot will refuse. Returns its id. */
  recordInvalid(): string;
  /** Events recorded by this fleet so far. */
  readonly recorded: number;
  /** Whether the fleet is recording on its timer. */
  readonly running: boolean;
  /** Recording errors (e.g. the outbox refused because it is full). */
  readonly errors: number;
  /** Emits `true` once the limit is reached. */
  readonly limitReached$: Observable<boolean>;
}

/**
 * A fleet of kiosks recording activity at a steady rate, with round-robin devices and a seeded story. Time comes
 * from the scheduler, so a test can run an hour of kiosk life in virtual time.
 *
 * @param options - see {@link DeviceFleetOptions}
 * @example
 * ```ts
 * const fleet = createDeviceFleet({ devices: 4, rate: 100, templates: EMULATOR_TEMPLATES,
 *   random: createSeededRandom(1), record: (input) => outbox.record(input) });
 * fleet.start();
 * ```
 */
export function createDeviceFleet(options: DeviceFleetOptions): DeviceFleet {
  const scheduler = options.scheduler ?? asyncScheduler;
  const tickMs = options.tickMs ?? 50;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const devices: Device[] = createDevices(Math.max(1, options.devices));
  const limitReached$ = new BehaviorSubject(false);
  let recorded = 0;
  let errors = 0;
  let next = 0;
  let ticker: Subscription | undefined;
  let startedAt = 0;
  let recordedOnTimer = 0;

  function nextDevice(): Device {
    const device = devices[next % devices.length]!;
    next += 1;
    return device;
  }

  function store(input: TimelineEventInput): string | undefined {
    try {
      const id = options.record(input);
      recorded += 1;
      options.onRecorded?.(id);
      if (recorded >= limit && !limitReached$.value) {
        limitReached$.next(true);
        stop();
      }
      return id;
    } catch {
      errors += 1;
      return undefined;
    }
  }

  function tick(): void {
    const due = Math.floor(((scheduler.now() - startedAt) / 1000) * options.rate) - recordedOnTimer;
    for (let index = 0; index < due && recorded < limit; index += 1) {
      recordedOnTimer += 1;
      store(createActivity(options.random, nextDevice(), options.templates, scheduler.now()));
    }
  }

  function stop(): void {
    ticker?.unsubscribe();
    ticker = undefined;
  }

  return {
    start() {
      if (ticker !== undefined || recorded >= limit || options.rate <= 0) return;
      startedAt = scheduler.now();
      recordedOnTimer = 0;
      ticker = interval(tickMs, scheduler).subscribe(tick);
    },
    stop,
    burst(count) {
      const ids: string[] = [];
      for (let index = 0; index < count && recorded < limit; index += 1) {
        const id = store(createActivity(options.random, nextDevice(), options.templates, scheduler.now()));
        if (id !== undefined) ids.push(id);
      }
      return ids;
    },
    recordInvalid() {
      return options.record(createInvalidActivity(nextDevice(), options.templates, scheduler.now()));
    },
    get recorded() {
      return recorded;
    },
    get running() {
      return ticker !== undefined;
    },
    get errors() {
      return errors;
    },
    limitReached$: limitReached$.asObservable(),
  };
}
