import type { FaultProfileName } from '../faults/fault-profiles.js';

/** The engine's state as shown to people. */
export interface StatusView {
  /** `idle`, `sending`, `backing-off`, `offline`, `rate-limited`, `unauthorized`, `forbidden` or `stopped`. */
  readonly state: string;
  readonly reason?: string;
  /** Epoch ms until which the state holds, when known. */
  readonly until?: number;
}

/** What the emulated HubSpot counted (emulator mode only). */
export interface EmulatorView {
  readonly requests: number;
  readonly eventsStored: number;
  readonly duplicateIdsSeen: number;
  readonly rateLimited: number;
  readonly faultsInjected: number;
  readonly resets: number;
  /** Answers with a 5xx status (injected faults; a reset or a timeout has no status). */
  readonly serverErrors: number;
}

/** One moment of the demo, for the terminal, the dashboard and the final report. */
export interface DemoSnapshot {
  /** Epoch ms. */
  readonly at: number;
  /** Ms since the demo started. */
  readonly uptimeMs: number;
  readonly target: 'emulator' | 'hubspot';
  /** Whether the simulated network is up. */
  readonly online: boolean;
  /** Whether outages follow the schedule (false once a person took over, or with `--no-drops`). */
  readonly scheduledDrops: boolean;
  /** Whether the network can be handed back to the schedule (not with `--no-drops`, nor once `--events` are all recorded). */
  readonly scheduleAvailable: boolean;
  /** The fault profile, or `null` against real HubSpot. */
  readonly faults: FaultProfileName | null;
  /** Whether the kiosks are recording on their timer. */
  readonly recording: boolean;
  readonly status: StatusView;
  /** Events recorded by this run (bursts included). */
  readonly recorded: number;
  /** `--events`, when given. */
  readonly goal: number | null;
  /** Outbox counts (the whole file, including earlier runs). */
  readonly pending: number;
  readonly inFlight: number;
  readonly delivered: number;
  readonly dead: number;
  readonly backlogBytes: number;
  readonly oldestPendingAgeMs: number;
  /** The engine's counts since start. */
  readonly requests: number;
  readonly rateLimited: number;
  readonly retries: number;
  /** Events delivered per second over the last two seconds, as the engine counts them (`SyncStats.deliveryRate`). */
  readonly deliveryRate: number;
  readonly emulator: EmulatorView | null;
}
