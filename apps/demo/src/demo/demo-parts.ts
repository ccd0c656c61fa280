import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createSeededRandom } from '@hubline/core';
import { type RunningEmulator, startEmulator } from '@hubline/emulator';
import { type Outbox, openOutbox } from '@hubline/outbox';
import type { SyncEngine } from '@hubline/sync';
import { FAULT_PROFILES, type FaultProfileName } from '../faults/fault-profiles.js';
import { DEFAULT_NETWORK_PHASES, type NetworkPhase } from '../network/network-schedule.js';
import { type ActivityTemplates, EMULATOR_TEMPLATES } from '../sim/activity.js';
import { createDeviceFleet, type DeviceFleet } from '../sim/device-fleet.js';
import type { DemoTarget } from '../target/resolve-target.js';
import { type BoundedList, createBoundedList } from './bounded-list.js';
import { createDemoEngine } from './create-engine.js';
import type { RememberedId } from './dashboard-views.js';
import { createDemoAccounts, type DemoAccounts } from './demo-accounts.js';
import { createGoalTracker, type GoalTracker } from './goal-tracker.js';
import { createNetworkControl, type NetworkControl } from './network-control.js';

/** Ids remembered for the dashboard's list of recent events. */
const RECENT_IDS = 2000;

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

/** What a demo is made of, built and connected but not started. */
export interface DemoParts {
  /** What the demo was asked for. */
  readonly options: DemoOptions;
  /** The demo's clock, epoch ms. */
  readonly now: () => number;
  /** Epoch ms of opening. */
  readonly startedAt: number;
  /** Absolute path of the outbox file. */
  readonly dbPath: string;
  /** The outbox the kiosks record into and the engine drains, open. */
  readonly outbox: Outbox;
  /** Events already in the outbox, undelivered, when the demo opened it (a resumed run). */
  readonly resumedBacklog: number;
  /** The emulated HubSpot (emulator target only). */
  readonly emulator: RunningEmulator | undefined;
  /** The HubSpot accounts the app is installed in (emulator target only; real HubSpot is one account). */
  readonly accounts: DemoAccounts | undefined;
  /** The simulated network: the outage schedule, or a person's hand. */
  readonly network: NetworkControl;
  /** The sync engine, built but not started. */
  readonly engine: SyncEngine;
  /** Progress toward `--events`. */
  readonly goal: GoalTracker;
  /** The kiosks that record the activity, not yet recording. */
  readonly fleet: DeviceFleet;
  /** The latest ids this run recorded, for the dashboard (its search box needs an id to start from). */
  readonly recentIds: BoundedList<RememberedId>;
  /** Receives the lines {@link Demo.notice$} shows. */
  readonly notice: (line: string) => void;
}

/** Open the outbox (creating its folder) and start the emulator unless real HubSpot is the target. */
async function openStorage(
  options: DemoOptions,
  accounts: DemoAccounts | undefined,
): Promise<{ dbPath: string; outbox: Outbox; emulator: RunningEmulator | undefined }> {
  const dbPath = resolve(options.db);
  mkdirSync(dirname(dbPath), { recursive: true });
  const outbox = openOutbox({ path: dbPath });
  if (options.target.kind !== 'emulator') return { dbPath, outbox, emulator: undefined };
  try {
    const faults = { ...FAULT_PROFILES[options.faults], seed: options.seed };
    return {
      dbPath,
      outbox,
      emulator: await startEmulator({ faults, accounts: accounts?.emulatorAccounts ?? [] }),
    };
  } catch (error) {
    outbox.close();
    throw error;
  }
}

/**
 * Open the outbox, start the emulator (unless real HubSpot is configured), and build the network switch, the
 * engine, the goal tracker and the kiosks, connected to one another. Nothing moves yet.
 *
 * @param options - see {@link DemoOptions}
 * @param notice - receives the lines worth showing in the terminal
 * @param now - the demo's clock, epoch ms
 */
export async function openDemoParts(
  options: DemoOptions,
  notice: (line: string) => void,
  now: () => number,
): Promise<DemoParts> {
  const startedAt = now();
  const { target } = options;
  const accounts = target.kind === 'emulator' ? createDemoAccounts() : undefined;
  const { dbPath, outbox, emulator } = await openStorage(options, accounts);
  const opened = outbox.stats();
  const network = createNetworkControl({
    phases: options.phases ?? DEFAULT_NETWORK_PHASES,
    drops: options.drops,
    setListenerOnline: emulator === undefined ? undefined : (online) => emulator.setOnline(online),
    notice,
    now,
  });
  const engine = createDemoEngine({
    outbox,
    target,
    emulatorUrl: emulator?.url,
    online$: network.online$,
    ...(accounts === undefined || emulator === undefined ? {} : { accounts: accounts.tokens(emulator.url) }),
  });
  const goal = createGoalTracker(options.events);
  const recentIds = createBoundedList<RememberedId>(RECENT_IDS);
  const templates: ActivityTemplates =
    target.kind === 'emulator' ? EMULATOR_TEMPLATES : { visit: target.eventTemplateId };
  const fleet = createDeviceFleet({
    devices: options.devices,
    rate: options.rate,
    limit: options.events,
    templates,
    random: createSeededRandom(options.seed),
    record: (input) => outbox.record(accounts === undefined ? input : accounts.assign(input)),
    onRecorded: (id) => {
      goal.recorded(id);
      recentIds.push({ id, at: now() });
    },
  });
  return {
    options,
    now,
    startedAt,
    dbPath,
    outbox,
    resumedBacklog: opened.pending + opened.inFlight,
    emulator,
    accounts,
    network,
    engine,
    goal,
    fleet,
    recentIds,
    notice,
  };
}
