import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createSeededRandom, type TimelineEvent } from '@hubline/core';
import { type RunningEmulator, startEmulator } from '@hubline/emulator';
import { type Outbox, type OutboxStats, openOutbox } from '@hubline/outbox';
import type { SyncEngine, SyncStats, SyncStatus } from '@hubline/sync';
import { BehaviorSubject, interval, type Observable, Subject, type Subscription } from 'rxjs';
import { FAULT_PROFILES, type FaultProfileName } from '../faults/fault-profiles.js';
import {
  createNetworkSchedule,
  DEFAULT_NETWORK_PHASES,
  type NetworkPhase,
} from '../network/network-schedule.js';
import { type ActivityTemplates, EMULATOR_TEMPLATES } from '../sim/activity.js';
import { createDeviceFleet, type DeviceFleet } from '../sim/device-fleet.js';
import type { DemoTarget } from '../target/resolve-target.js';
import { createDemoEngine } from './create-engine.js';
import { type DemoResult, summarizeEmulator } from './demo-result.js';
import { describeLifecycle, type HistoryStep } from './describe-lifecycle.js';
import type { DemoSnapshot } from './snapshot.js';
import { describeStatus } from './status-words.js';

/** Options of {@link createDemo}. */
export interface DemoOptions {
  /** Simulated kiosks. */
  readonly devices: number;
  /** Events per second for the whole fleet. */
  readonly rate: number;
  /** Record this many events, then finish once each is delivered or dead-lettered. */
  readonly events?: number | undefined;
  /** The emulator's fault profile (ignored against real HubSpot). */
  readonly faults: FaultProfileName;
  /** Outbox file; created with its folder when missing, resumed when present. */
  readonly db: string;
  /** Whether the network drops on a schedule. */
  readonly drops: boolean;
  /** Seed of the activity and the emulator's faults. */
  readonly seed: number;
  /** Emulator or real HubSpot. */
  readonly target: DemoTarget;
  /** The outage schedule. @default DEFAULT_NETWORK_PHASES */
  readonly phases?: readonly NetworkPhase[];
  /** How often a snapshot is taken, in ms. @default 500 */
  readonly sampleMs?: number;
}

/** A dead letter as the dashboard lists it. */
export interface DeadLetterView {
  readonly id: string;
  readonly eventTemplateId: string;
  /** The contact's email or the object id. */
  readonly subject: string;
  /** HubSpot's reason (or the engine's, after too many attempts). */
  readonly reason: string;
  /** Failures that counted against the retry budget (0 for an event HubSpot refused at once). */
  readonly attempts: number;
  /** Requests that carried it, the refused one included (see {@link describeLifecycle}). */
  readonly sends: number;
  /** Epoch ms of the dead-lettering. */
  readonly at: number;
}

/** One event's whole story, for the dashboard's search box. */
export interface LifecycleView {
  readonly id: string;
  readonly status: string;
  /** Failures that counted against the retry budget. */
  readonly attempts: number;
  /** Requests that carried it, answered or lost (see {@link describeLifecycle}). */
  readonly sends: number;
  /** Where it stands, in one line a person can act on. */
  readonly headline: string;
  readonly lastError: string | null;
  readonly event: unknown;
  /** Each lifecycle step with a sentence saying what happened. */
  readonly history: readonly HistoryStep[];
}

/** An event recorded by this run, for the dashboard's list of recent ids. */
export interface RecentEventView {
  readonly id: string;
  readonly eventTemplateId: string;
  /** The contact's email or the object id. */
  readonly subject: string;
  readonly status: string;
  /** Epoch ms of recording. */
  readonly at: number;
}

/** One point of the dashboard's chart. */
export interface SeriesPoint {
  /** Epoch seconds. */
  readonly t: number;
  /** Pending plus in flight. */
  readonly backlog: number;
  /** Delivered per second. */
  readonly rate: number;
  /** Whether the simulated network was up. */
  readonly online: boolean;
}

/** A running demo: the outbox, the engine, the kiosks, the network and (usually) the emulator. */
export interface Demo {
  readonly target: DemoTarget['kind'];
  /** Absolute path of the outbox file. */
  readonly dbPath: string;
  /** The emulator's URL (emulator target only). */
  readonly emulatorUrl: string | undefined;
  /** Events already in the outbox, undelivered, when the demo opened it (a resumed run). */
  readonly resumedBacklog: number;
  /** Start the kiosks, the network schedule and the engine. */
  start(): void;
  /** The current state. */
  snapshot(): DemoSnapshot;
  /** A snapshot every `sampleMs`. */
  readonly snapshot$: Observable<DemoSnapshot>;
  /** Things worth a line of their own in the terminal. */
  readonly notice$: Observable<string>;
  /** Recent chart points, oldest first. */
  series(): SeriesPoint[];
  /** Cut or restore the network by hand; the outage schedule stops. */
  setNetwork(online: boolean): Promise<void>;
  /**
   * Hand the network back to the outage schedule, starting with its first phase; resolves once that phase's
   * network state is in place.
   * @throws RangeError when there is no schedule to go back to (`--no-drops`, every `--events` event recorded,
   *   or shutting down)
   */
  resumeSchedule(): Promise<void>;
  /** Pause or resume the kiosks' steady recording (bursts still work); lets a person watch a backlog drain to zero. */
  setRecording(on: boolean): void;
  /** Switch the emulator's fault profile. */
  setFaultProfile(name: FaultProfileName): void;
  /** Record `count` events at once. Returns how many were recorded. */
  burst(count: number): number;
  /** Record one event HubSpot will refuse. Returns its id. */
  recordInvalid(): string;
  /** Dead letters, oldest first. */
  listDead(limit: number): DeadLetterView[];
  /** Put dead letters back in line. Returns how many. */
  requeue(ids: readonly string[] | 'all-dead'): number;
  /** One event's lifecycle, or `undefined` for an unknown id. */
  lookup(id: string): LifecycleView | undefined;
  /** Events this run recorded, newest first: the latest, then one about every second before it. */
  recent(limit: number): RecentEventView[];
  /** Resolves once every `--events` event is delivered or dead-lettered; never without `--events`. */
  readonly goalReached: Promise<void>;
  /** Stop recording, let the engine drain (bounded), and report. Safe to call twice. */
  shutdown(options?: { drainTimeoutMs?: number }): Promise<DemoResult>;
}

const SERIES_POINTS = 1200;
const RECENT_IDS = 2000;
/** The dashboard's recent events are picked at least this far apart, so they span a few seconds of history. */
const RECENT_SPACING_MS = 1000;
const RATE_WINDOW_MS = 2000;

/** Who or what an event is about, as the dashboard lists it: the contact's email or the object id. */
const subjectOf = (event: TimelineEvent): string => event.email ?? event.objectId ?? event.utk ?? '';

/**
 * Open the outbox, start the emulator (unless real HubSpot is configured), build the engine and the kiosks.
 * Nothing moves until `start()`.
 *
 * @param options - see {@link DemoOptions}
 * @example
 * ```ts
 * const demo = await createDemo({ devices: 4, rate: 100, faults: 'flaky', db: './.demo/d.db', drops: true,
 *   seed: 1, target: { kind: 'emulator' } });
 * demo.start();
 * const result = await demo.shutdown();
 * ```
 */
export async function createDemo(options: DemoOptions): Promise<Demo> {
  const startedAt = Date.now();
  const sampleMs = options.sampleMs ?? 500;
  const target = options.target;
  const dbPath = resolve(options.db);
  mkdirSync(dirname(dbPath), { recursive: true });
  const outbox: Outbox = openOutbox({ path: dbPath });
  const opened = outbox.stats();
  const resumedBacklog = opened.pending + opened.inFlight;

  let emulator: RunningEmulator | undefined;
  let faults: FaultProfileName | null = null;
  try {
    if (target.kind === 'emulator') {
      faults = options.faults;
      emulator = await startEmulator({ faults: { ...FAULT_PROFILES[options.faults], seed: options.seed } });
    }
  } catch (error) {
    outbox.close();
    throw error;
  }

  const online$ = new BehaviorSubject(true);
  const engine: SyncEngine = createDemoEngine({ outbox, target, emulatorUrl: emulator?.url, online$ });
  const notice$ = new Subject<string>();
  const snapshot$ = new Subject<DemoSnapshot>();
  const subscriptions: Subscription[] = [];
  let status: SyncStatus = { state: 'idle' };
  let engineStats: SyncStats | undefined;
  subscriptions.push(
    engine.status$.subscribe((next) => {
      status = next;
    }),
    engine.stats$.subscribe((next) => {
      engineStats = next;
    }),
  );

  // Network: the engine's online$ and the emulator's listener move together, one change at a time.
  let networkWanted = true;
  let networkQueue: Promise<void> = Promise.resolve();
  function applyNetwork(online: boolean): Promise<void> {
    networkWanted = online;
    networkQueue = networkQueue
      .then(async () => {
        if (networkWanted !== online) return;
        if (online) {
          await emulator?.setOnline(true);
          online$.next(true);
        } else {
          online$.next(false);
          await emulator?.setOnline(false);
        }
      })
      .catch((error: unknown) => notice$.next(`network switch failed: ${String(error)}`));
    return networkQueue;
  }
  // Outages, for the report: how many times the network went down and for how long in total.
  let outages = 0;
  let offlineMs = 0;
  let offlineSince: number | undefined;
  subscriptions.push(
    online$.subscribe((online) => {
      if (!online && offlineSince === undefined) {
        outages += 1;
        offlineSince = Date.now();
      } else if (online && offlineSince !== undefined) {
        offlineMs += Date.now() - offlineSince;
        offlineSince = undefined;
      }
    }),
  );
  const schedule = createNetworkSchedule({
    phases: options.phases ?? DEFAULT_NETWORK_PHASES,
    apply: (online) => void applyNetwork(online),
  });

  // Progress toward --events: only this run's ids are tracked, so the set is bounded by the goal.
  let allRecorded = false;
  const goal = options.events;
  const tracked = new Set<string>();
  const deliveredRun = new Set<string>();
  const deadRun = new Set<string>();
  let alreadyExistedRun = 0;
  let reachGoal: () => void = () => {};
  const goalReached = new Promise<void>((resolveGoal) => {
    reachGoal = resolveGoal;
  });
  // The latest ids this run recorded, for the dashboard (the search box needs an id to start from).
  const recentIds: { id: string; at: number }[] = [];
  const remember = (id: string): void => {
    recentIds.push({ id, at: Date.now() });
    if (recentIds.length > RECENT_IDS) recentIds.splice(0, recentIds.length - RECENT_IDS);
  };
  const templates: ActivityTemplates =
    target.kind === 'emulator' ? EMULATOR_TEMPLATES : { visit: target.eventTemplateId };
  const fleet: DeviceFleet = createDeviceFleet({
    devices: options.devices,
    rate: options.rate,
    limit: goal,
    templates,
    random: createSeededRandom(options.seed),
    record: (input) => outbox.record(input),
    onRecorded: (id) => {
      if (goal !== undefined) tracked.add(id);
      remember(id);
    },
  });
  const checkGoal = (): void => {
    if (goal !== undefined && fleet.recorded >= goal && deliveredRun.size + deadRun.size >= tracked.size) {
      reachGoal();
    }
  };
  subscriptions.push(
    engine.outcomes$.subscribe((outcome) => {
      if (!tracked.has(outcome.id)) return;
      if (outcome.type === 'delivered') {
        deadRun.delete(outcome.id);
        if (!deliveredRun.has(outcome.id) && outcome.alreadyExisted) alreadyExistedRun += 1;
        deliveredRun.add(outcome.id);
      } else if (outcome.type === 'dead') {
        deadRun.add(outcome.id);
      }
      checkGoal();
    }),
  );

  subscriptions.push(
    fleet.limitReached$.subscribe((reached) => {
      if (!reached) return;
      allRecorded = true;
      schedule.stop();
      if (!networkWanted) {
        notice$.next(`all ${goal} events recorded; bringing the network back to drain the backlog`);
        void applyNetwork(true);
      }
      checkGoal();
    }),
  );

  // Sampling: one snapshot per tick feeds the terminal, the dashboard's stream and the chart.
  const rateWindow: { at: number; delivered: number }[] = [];
  const points: SeriesPoint[] = [];
  let outboxOpen = true;
  let lastOutboxStats: OutboxStats = opened;

  function snapshot(): DemoSnapshot {
    const now = Date.now();
    if (outboxOpen) lastOutboxStats = outbox.stats();
    const counts = lastOutboxStats;
    rateWindow.push({ at: now, delivered: counts.delivered });
    while (rateWindow.length > 2 && rateWindow[0]!.at < now - RATE_WINDOW_MS) rateWindow.shift();
    const first = rateWindow[0]!;
    const elapsed = (now - first.at) / 1000;
    const deliveryRate = elapsed > 0 ? Math.max(0, (counts.delivered - first.delivered) / elapsed) : 0;
    return {
      at: now,
      uptimeMs: now - startedAt,
      target: target.kind,
      online: online$.value,
      scheduledDrops: schedule.running,
      scheduleAvailable: scheduleAvailable(),
      faults,
      recording: fleet.running,
      status: describeStatus(status, online$.value),
      recorded: fleet.recorded,
      goal: goal ?? null,
      pending: counts.pending,
      inFlight: counts.inFlight,
      delivered: counts.delivered,
      dead: counts.dead,
      backlogBytes: counts.backlogBytes,
      oldestPendingAgeMs: counts.oldestPendingAgeMs,
      requests: engineStats?.requests ?? 0,
      rateLimited: engineStats?.rateLimited ?? 0,
      retries: engineStats?.retries ?? 0,
      deliveryRate: Math.round(deliveryRate * 10) / 10,
      emulator: emulator === undefined ? null : summarizeEmulator(emulator.counters()),
    };
  }

  let sampler: Subscription | undefined;
  function sample(): DemoSnapshot {
    const current = snapshot();
    points.push({
      t: current.at / 1000,
      backlog: current.pending + current.inFlight,
      rate: current.deliveryRate,
      online: current.online,
    });
    if (points.length > SERIES_POINTS) points.splice(0, points.length - SERIES_POINTS);
    snapshot$.next(current);
    return current;
  }

  function requireEmulator(what: string): RunningEmulator {
    if (emulator === undefined)
      throw new RangeError(`${what} needs the emulator; it is off against real HubSpot`);
    return emulator;
  }

  let shutdownPromise: Promise<DemoResult> | undefined;
  function scheduleAvailable(): boolean {
    return options.drops && !allRecorded && shutdownPromise === undefined;
  }

  return {
    target: target.kind,
    dbPath,
    emulatorUrl: emulator?.url,
    resumedBacklog,
    goalReached,
    snapshot$: snapshot$.asObservable(),
    notice$: notice$.asObservable(),

    start() {
      if (sampler !== undefined) return;
      engine.start();
      fleet.start();
      if (options.drops) schedule.start();
      sampler = interval(sampleMs).subscribe(() => sample());
      if (goal !== undefined && goal === 0) reachGoal();
    },

    snapshot,

    series() {
      return [...points];
    },

    async setNetwork(online) {
      if (schedule.running) {
        schedule.stop();
        notice$.next('network under manual control: the outage schedule is off');
      }
      await applyNetwork(online);
    },

    async resumeSchedule() {
      if (!options.drops) throw new RangeError('there is no outage schedule: this demo runs with --no-drops');
      if (allRecorded) {
        throw new RangeError(
          'every --events event is recorded: the network stays up until the backlog is sent',
        );
      }
      if (shutdownPromise !== undefined) throw new RangeError('the demo is shutting down');
      if (schedule.running) return;
      schedule.start();
      notice$.next('network back on the outage schedule');
      await networkQueue;
    },

    setRecording(on) {
      if (on === fleet.running) return;
      if (on && shutdownPromise !== undefined) throw new RangeError('the demo is shutting down');
      if (on) fleet.start();
      else fleet.stop();
      notice$.next(on ? 'kiosks recording again' : 'kiosks paused: nothing new is recorded on the timer');
    },

    setFaultProfile(name) {
      requireEmulator('switching faults').setFaults(FAULT_PROFILES[name]);
      faults = name;
      notice$.next(`fault profile: ${name}`);
    },

    burst(count) {
      return fleet.burst(count).length;
    },

    recordInvalid() {
      const id = fleet.recordInvalid();
      remember(id);
      return id;
    },

    listDead(limit) {
      return outbox.listDead({ limit }).map((entry) => ({
        id: entry.id,
        eventTemplateId: entry.event.eventTemplateId,
        subject: subjectOf(entry.event),
        reason: entry.lastError ?? 'unknown',
        attempts: entry.attempts,
        sends: describeLifecycle(entry.status, outbox.history(entry.id)).sends,
        at: entry.updatedAt,
      }));
    },

    requeue(ids) {
      const count = outbox.requeue(ids);
      if (count > 0) notice$.next(`requeued ${count} dead letter${count === 1 ? '' : 's'}`);
      return count;
    },

    lookup(id) {
      const entry = outbox.get(id);
      if (entry === undefined) return undefined;
      const { sends, headline, steps } = describeLifecycle(entry.status, outbox.history(id));
      return {
        id: entry.id,
        status: entry.status,
        attempts: entry.attempts,
        sends,
        headline,
        lastError: entry.lastError,
        event: entry.event,
        history: steps,
      };
    },

    recent(limit) {
      // The newest event, then one about every second before it: at 100 events/s the very latest ones are all
      // still pending, and a list of them would show nothing of what happens next.
      const views: RecentEventView[] = [];
      let before = Number.POSITIVE_INFINITY;
      for (let index = recentIds.length - 1; index >= 0 && views.length < limit; index -= 1) {
        const candidate = recentIds[index]!;
        if (candidate.at > before) continue;
        const entry = outbox.get(candidate.id);
        if (entry === undefined) continue;
        before = candidate.at - RECENT_SPACING_MS;
        views.push({
          id: entry.id,
          eventTemplateId: entry.event.eventTemplateId,
          subject: subjectOf(entry.event),
          status: entry.status,
          at: entry.recordedAt,
        });
      }
      return views;
    },

    shutdown(shutdownOptions = {}) {
      if (shutdownPromise !== undefined) return shutdownPromise;
      shutdownPromise = (async () => {
        const interrupted = goal === undefined || deliveredRun.size + deadRun.size < goal;
        fleet.stop();
        schedule.stop();
        const drainTimeoutMs = shutdownOptions.drainTimeoutMs ?? 20_000;
        const { timedOut } = await engine.stop({ drain: true, timeoutMs: drainTimeoutMs });
        const drained = !timedOut;
        sampler?.unsubscribe();
        const last = sample();
        const result: DemoResult = {
          target: target.kind,
          faults,
          seed: options.seed,
          durationMs: Date.now() - startedAt,
          db: dbPath,
          interrupted,
          drained,
          recorded: fleet.recorded,
          goal: goal ?? null,
          network: {
            outages,
            offlineMs: offlineMs + (offlineSince === undefined ? 0 : Date.now() - offlineSince),
          },
          thisRun:
            goal === undefined
              ? null
              : { delivered: deliveredRun.size, dead: deadRun.size, alreadyExisted: alreadyExistedRun },
          outbox: {
            pending: last.pending,
            inFlight: last.inFlight,
            delivered: last.delivered,
            dead: last.dead,
            evicted: lastOutboxStats.evicted,
          },
          engine: {
            requests: engineStats?.requests ?? 0,
            rateLimited: engineStats?.rateLimited ?? 0,
            retries: engineStats?.retries ?? 0,
            delivered: engineStats?.deliveredByEngine ?? 0,
            dead: engineStats?.deadByEngine ?? 0,
          },
          emulator:
            emulator === undefined
              ? null
              : summarizeEmulator(emulator.counters(), emulator.events(), tracked),
        };
        for (const subscription of subscriptions) subscription.unsubscribe();
        await emulator?.stop();
        outboxOpen = false;
        outbox.close();
        snapshot$.complete();
        notice$.complete();
        return result;
      })();
      return shutdownPromise;
    },
  };
}
