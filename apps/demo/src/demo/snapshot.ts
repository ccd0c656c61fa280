import type { FaultProfileName } from '../faults/fault-profiles.js';

/** The engine's state as shown to people. */
export interface StatusView {
  /** `idle`, `sending`, `backing-off`, `offline`, `rate-limited`, `unauthorized`, `forbidden` or `stopped`. */
  readonly state: string;
  /** Why, in the engine's words (e.g. HubSpot's message for a 429); absent while idle or sending. */
  readonly reason?: string;
  /** Epoch ms until which the state holds, when known. */
  readonly until?: number;
}

/** What the emulated HubSpot counted (emulator mode only). */
export interface EmulatorView {
  /** Requests the emulator received, control routes aside. */
  readonly requests: number;
  /** Events it stored. */
  readonly eventsStored: number;
  /** Events it received with an id it already had (each a re-send after a lost answer, or a repeat in a batch). */
  readonly duplicateIdsSeen: number;
  /** 429 answers it sent, from its rate limiter or a burst fault. */
  readonly rateLimited: number;
  /** Faults the profile injected, of any kind. */
  readonly faultsInjected: number;
  /** Connections a reset fault cut without an answer. */
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
  /** Where events go: the embedded emulator, or real HubSpot. */
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
  /** The engine's latest state. */
  readonly status: StatusView;
  /** Events recorded by this run (bursts included). */
  readonly recorded: number;
  /** `--events`, when given. */
  readonly goal: number | null;
  /** Outbox counts (the whole file, including earlier runs): events waiting to be sent. */
  readonly pending: number;
  /** Events leased to a request now in flight. */
  readonly inFlight: number;
  /** Events HubSpot has. */
  readonly delivered: number;
  /** Dead letters waiting for a person. */
  readonly dead: number;
  /** Bytes of the pending and in-flight events. */
  readonly backlogBytes: number;
  /** Age of the oldest pending or in-flight event in ms; 0 when none waits. */
  readonly oldestPendingAgeMs: number;
  /** The engine's counts since start: HTTP requests sent. */
  readonly requests: number;
  /** 429 answers received. */
  readonly rateLimited: number;
  /** Events settled to be retried later. */
  readonly retries: number;
  /** Events delivered per second over the last two seconds, as the engine counts them (`SyncStats.deliveryRate`). */
  readonly deliveryRate: number;
  /** What the emulator counted; `null` against real HubSpot. */
  readonly emulator: EmulatorView | null;
}
