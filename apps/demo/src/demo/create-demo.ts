import type { TimelineEventPatch } from '@hubline/core';
import type { OutboxStats } from '@hubline/outbox';
import { type Observable, Subject, type Subscription } from 'rxjs';
import { FAULT_PROFILES, type FaultProfileName } from '../faults/fault-profiles.js';
import type { DemoTarget } from '../target/resolve-target.js';
import { type AccountControls, type AccountView, createAccountControls } from './account-controls.js';
import { createSampler, type Sampler } from './create-sampler.js';
import {
  type DeadLetterView,
  deadLetterView,
  type LifecycleView,
  lifecycleView,
  pickRecent,
  type RecentEventView,
} from './dashboard-views.js';
import { type DemoOptions, type DemoParts, openDemoParts } from './demo-parts.js';
import { type DemoResult, engineCounts, summarizeEmulator } from './demo-result.js';
import { type EngineWatch, watchEngine } from './engine-watch.js';
import { composeSnapshot, type SeriesPoint } from './sampling.js';
import type { DemoSnapshot } from './snapshot.js';

export type { DemoOptions } from './demo-parts.js';

/** A running demo: the outbox, the engine, the kiosks, the network and (usually) the emulator. */
export interface Demo {
  /** Where events go: the embedded emulator, or real HubSpot. */
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
  /**
   * Correct one dead letter and put it back in line; the original stays in its history (`Amended`).
   * @throws the outbox's validation error, naming the field, when the corrected event would be refused
   */
  amend(id: string, patch: TimelineEventPatch): number;
  /** The HubSpot accounts, each with its own state and counts. */
  accounts(): AccountView[];
  /** Uninstall the app from an account (emulator only): its events wait, the others' go on. */
  uninstall(account: string): number;
  /** Have HubSpot throttle an account to one request per window (emulator only), or stop. */
  throttle(account: string, on: boolean): void;
  /** Drop an account's waiting events and dead letters. Returns how many. */
  discardAccount(account: string): number;
  /** One event's lifecycle, or `undefined` for an unknown id. */
  lookup(id: string): LifecycleView | undefined;
  /** Events this run recorded, newest first: the latest, then one about every second before it. */
  recent(limit: number): RecentEventView[];
  /** Resolves once every `--events` event is delivered or dead-lettered; never without `--events`. */
  readonly goalReached: Promise<void>;
  /** Stop recording, let the engine drain (bounded), and report. Safe to call twice. */
  shutdown(options?: {
    /** How long the engine may drain before it stops, in ms; `0` stops at once (nothing is lost). @default 20000 */
    drainTimeoutMs?: number;
  }): Promise<DemoResult>;
}

/** The dashboard's recent events are picked at least this far apart, so they span a few seconds of history. */
const RECENT_SPACING_MS = 1000;

/** Where a demo is in its life: one value, so "started" and "shutting down" cannot disagree. */
type DemoPhase =
  | { readonly kind: 'created' }
  | { readonly kind: 'running' }
  | { readonly kind: 'shutting-down'; readonly result: Promise<DemoResult> };

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
  const notice$ = new Subject<string>();
  const parts = await openDemoParts(
    options,
    (line) => notice$.next(line),
    () => Date.now(),
  );
  return runDemo(parts, notice$);
}

/** What the shutdown needs of a running demo besides its parts. */
interface RunningState {
  readonly watch: EngineWatch;
  readonly sampler: Sampler;
  readonly subscriptions: readonly Subscription[];
  readonly notice$: Subject<string>;
  readonly faults: FaultProfileName | null;
  readonly accounts: AccountControls;
  /** Stop reading the outbox: snapshots keep its last counts from now on. */
  outboxClosing(): void;
}

/** The demo's controls over its parts. */
function runDemo(parts: DemoParts, notice$: Subject<string>): Demo {
  const { options, outbox, emulator, engine, network, goal, fleet, notice } = parts;
  let phase: DemoPhase = { kind: 'created' };
  let faults: FaultProfileName | null = emulator === undefined ? null : options.faults;
  let counts: OutboxStats = outbox.stats();
  let outboxOpen = true;
  const watch = watchEngine(engine);
  const accounts = createAccountControls({
    accounts: parts.accounts,
    outbox,
    engine,
    emulator,
    notice,
  });
  const subscriptions = [
    engine.outcomes$.subscribe((outcome) => goal.settled(outcome)),
    fleet.limitReached$.subscribe((reached) => {
      if (!reached) return;
      network.lock('all-recorded');
      if (!network.wanted) {
        notice(`all ${goal.goal} events recorded; bringing the network back to drain the backlog`);
        void network.set(true);
      }
    }),
  ];

  const snapshot = (): DemoSnapshot => {
    if (outboxOpen) counts = outbox.stats();
    return composeSnapshot({
      now: parts.now(),
      startedAt: parts.startedAt,
      target: options.target.kind,
      online: network.online,
      scheduledDrops: network.scheduled,
      scheduleAvailable: network.scheduleAvailable,
      faults,
      recording: fleet.running,
      recorded: fleet.recorded,
      goal: goal.goal ?? null,
      status: watch.status,
      outbox: counts,
      engine: watch.stats,
      emulator: emulator === undefined ? null : summarizeEmulator(emulator.counters()),
    });
  };
  const sampler = createSampler({ read: snapshot, sampleMs: options.sampleMs ?? 500 });
  const running = (): RunningState => ({
    watch,
    sampler,
    subscriptions,
    notice$,
    get faults() {
      return faults;
    },
    accounts,
    outboxClosing: () => {
      outboxOpen = false;
    },
  });

  return {
    target: options.target.kind,
    dbPath: parts.dbPath,
    emulatorUrl: emulator?.url,
    resumedBacklog: parts.resumedBacklog,
    goalReached: goal.reached,
    snapshot$: sampler.snapshot$,
    notice$: notice$.asObservable(),
    start() {
      if (phase.kind !== 'created') return;
      phase = { kind: 'running' };
      engine.start();
      fleet.start();
      network.start();
      sampler.start();
      goal.check();
    },
    snapshot,
    series: () => sampler.series(),
    setNetwork: (online) => network.set(online),
    resumeSchedule: () => network.resumeSchedule(),
    setRecording(on) {
      if (on === fleet.running) return;
      if (on && phase.kind === 'shutting-down') throw new RangeError('the demo is shutting down');
      if (on) fleet.start();
      else fleet.stop();
      notice(on ? 'kiosks recording again' : 'kiosks paused: nothing new is recorded on the timer');
    },
    setFaultProfile(name) {
      if (emulator === undefined)
        throw new RangeError('switching faults needs the emulator; it is off against real HubSpot');
      emulator.setFaults(FAULT_PROFILES[name]);
      faults = name;
      notice(`fault profile: ${name}`);
    },
    burst: (count) => fleet.burst(count).length,
    recordInvalid() {
      const id = fleet.recordInvalid();
      parts.recentIds.push({ id, at: parts.now() });
      return id;
    },
    listDead: (limit) =>
      outbox.listDead({ limit }).map((entry) => deadLetterView(entry, outbox.history(entry.id))),
    requeue(ids) {
      const count = outbox.requeue(ids);
      if (count > 0) notice(`requeued ${count} dead letter${count === 1 ? '' : 's'}`);
      return count;
    },
    amend(id, patch) {
      const count = outbox.requeue([id], { amend: patch, by: 'dashboard' });
      if (count > 0) notice(`amended and requeued dead letter ${id}`);
      return count;
    },
    accounts: () => accounts.list(),
    uninstall: (account) => accounts.uninstall(account),
    throttle: (account, on) => accounts.throttle(account, on),
    discardAccount: (account) => accounts.discard(account),
    lookup(id) {
      const entry = outbox.get(id);
      return entry === undefined ? undefined : lifecycleView(entry, outbox.history(id));
    },
    recent: (limit) => pickRecent(parts.recentIds.items, limit, RECENT_SPACING_MS, (id) => outbox.get(id)),
    shutdown(shutdownOptions = {}) {
      if (phase.kind === 'shutting-down') return phase.result;
      const result = finish(parts, running(), shutdownOptions.drainTimeoutMs ?? 20_000);
      phase = { kind: 'shutting-down', result };
      return result;
    },
  };
}

/** Stop recording, let the engine drain (bounded), take the last sample, report, and close everything. */
async function finish(parts: DemoParts, state: RunningState, drainTimeoutMs: number): Promise<DemoResult> {
  const { options, outbox, emulator, engine, network, goal, fleet } = parts;
  const interrupted = goal.interrupted();
  fleet.stop();
  network.lock('shutting-down');
  const { timedOut } = await engine.stop({ drain: true, timeoutMs: drainTimeoutMs });
  state.sampler.stop();
  const last = state.sampler.sample();
  const result: DemoResult = {
    target: options.target.kind,
    faults: state.faults,
    seed: options.seed,
    durationMs: parts.now() - parts.startedAt,
    db: parts.dbPath,
    interrupted,
    drained: !timedOut,
    recorded: fleet.recorded,
    goal: goal.goal ?? null,
    network: network.outages(),
    thisRun: goal.fates(),
    outbox: {
      pending: last.pending,
      inFlight: last.inFlight,
      delivered: last.delivered,
      dead: last.dead,
      evicted: outbox.stats().evicted,
    },
    engine: engineCounts(state.watch.stats),
    emulator:
      emulator === undefined ? null : summarizeEmulator(emulator.counters(), emulator.events(), goal.ids),
  };
  state.watch.close();
  state.accounts.close();
  for (const subscription of state.subscriptions) subscription.unsubscribe();
  await emulator?.stop();
  state.outboxClosing();
  outbox.close();
  state.sampler.complete();
  state.notice$.complete();
  return result;
}
