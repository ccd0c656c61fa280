import type { EmulatorCounters, StoredEvent } from '@hubline/emulator';
import type { SyncStats } from '@hubline/sync';
import type { FaultProfileName } from '../faults/fault-profiles.js';
import type { EmulatorView } from './snapshot.js';

/** What the emulator says it stored, checked against this run's ids. */
export interface EmulatorSummary extends EmulatorView {
  /** Distinct (template, id) pairs among the stored events. */
  readonly uniqueIdsStored?: number;
  /** Pairs stored more than once — must be 0. */
  readonly idsStoredMoreThanOnce?: number;
  /** This run's ids (with `--events`) stored exactly once. */
  readonly runIdsStoredExactlyOnce?: number;
  /** This run's ids (with `--events`) the emulator never stored. */
  readonly runIdsMissing?: number;
}

/** The final report's numbers; printed as `HUBLINE_DEMO_RESULT {json}` for scripts and tests. */
export interface DemoResult {
  /** Where the events went: the embedded emulator, or real HubSpot. */
  readonly target: 'emulator' | 'hubspot';
  /** The emulator's fault profile at the end; `null` against real HubSpot. */
  readonly faults: FaultProfileName | null;
  /** The seed of the activity and the emulator's faults (`--seed`), to replay a run. */
  readonly seed: number;
  /** How long the run took, in ms, from opening to the end of shutdown's drain. */
  readonly durationMs: number;
  /** Absolute path of the outbox file. */
  readonly db: string;
  /** Stopped before the `--events` goal was met (always true without `--events`). */
  readonly interrupted: boolean;
  /** Whether the engine finished draining within the shutdown budget. */
  readonly drained: boolean;
  /** Events recorded by this run. */
  readonly recorded: number;
  /** The simulated network during this run: how often it went down (by schedule or by hand) and for how long. */
  readonly network: {
    /** How many times it went down. */
    readonly outages: number;
    /** How long it was down in all, in ms. */
    readonly offlineMs: number;
  };
  /** `--events`; `null` when the run had no goal. */
  readonly goal: number | null;
  /** Fates of this run's events, as the engine reported them (with `--events`; `null` without). */
  readonly thisRun: {
    /** This run's events delivered. */
    readonly delivered: number;
    /** This run's events dead-lettered. */
    readonly dead: number;
    /** Of the delivered, those HubSpot said it already had (a lost answer, confirmed). */
    readonly alreadyExisted: number;
  } | null;
  /** The outbox file's counts at the end (earlier runs included). */
  readonly outbox: {
    /** Events waiting to be sent. */
    readonly pending: number;
    /** Events leased to a request that had not settled (0 after a full drain). */
    readonly inFlight: number;
    /** Events HubSpot has. */
    readonly delivered: number;
    /** Dead letters: events HubSpot refused, or that ran out of attempts. */
    readonly dead: number;
    /** Events evicted by the outbox's size cap. */
    readonly evicted: number;
  };
  /** What the engine counted. */
  readonly engine: {
    /** HTTP requests sent, bisection and auth retries included. */
    readonly requests: number;
    /** 429 answers received. */
    readonly rateLimited: number;
    /** Events settled to be retried later. */
    readonly retries: number;
    /** Events this engine delivered. */
    readonly delivered: number;
    /** Events this engine dead-lettered. */
    readonly dead: number;
  };
  /** What the emulator counted (emulator target only). */
  readonly emulator: EmulatorSummary | null;
}

/**
 * The emulator's counters, and — given its stored events — an exactly-once check: every (template, id) pair
 * stored once, and each of this run's ids stored exactly once.
 *
 * @param counters - `emulator.counters()`
 * @param events - `emulator.events()`, for the exactly-once check
 * @param runIds - this run's ids (empty without `--events`)
 */
export function summarizeEmulator(
  counters: EmulatorCounters,
  events?: readonly StoredEvent[],
  runIds?: ReadonlySet<string>,
): EmulatorSummary {
  const base: EmulatorView = {
    requests: counters.requests,
    eventsStored: counters.eventsStored,
    duplicateIdsSeen: counters.duplicateIdsSeen,
    rateLimited: counters.rateLimited,
    faultsInjected: counters.faultsInjected,
    resets: counters.resets,
    serverErrors: Object.entries(counters.byStatus)
      .filter(([status]) => status.startsWith('5'))
      .reduce((sum, [, count]) => sum + count, 0),
  };
  if (events === undefined) return base;
  const timesById = new Map<string, number>();
  const timesByPair = new Map<string, number>();
  for (const event of events) {
    const pair = `${event.eventTemplateId}/${event.id}`;
    timesByPair.set(pair, (timesByPair.get(pair) ?? 0) + 1);
    timesById.set(event.id, (timesById.get(event.id) ?? 0) + 1);
  }
  let idsStoredMoreThanOnce = 0;
  for (const times of timesByPair.values()) if (times > 1) idsStoredMoreThanOnce += 1;
  let runIdsStoredExactlyOnce = 0;
  let runIdsMissing = 0;
  for (const id of runIds ?? []) {
    const times = timesById.get(id) ?? 0;
    if (times === 1) runIdsStoredExactlyOnce += 1;
    if (times === 0) runIdsMissing += 1;
  }
  return {
    ...base,
    uniqueIdsStored: timesByPair.size,
    idsStoredMoreThanOnce,
    runIdsStoredExactlyOnce,
    runIdsMissing,
  };
}

/**
 * The engine's part of the final report, from its last `stats$` value (zeros before the first).
 *
 * @param stats - the engine's latest `stats$` value
 */
export function engineCounts(stats: SyncStats | undefined): DemoResult['engine'] {
  return {
    requests: stats?.requests ?? 0,
    rateLimited: stats?.rateLimited ?? 0,
    retries: stats?.retries ?? 0,
    delivered: stats?.deliveredByEngine ?? 0,
    dead: stats?.deadByEngine ?? 0,
  };
}
