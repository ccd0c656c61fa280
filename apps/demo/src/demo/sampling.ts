import type { OutboxStats } from '@hubline/outbox';
import type { SyncStats, SyncStatus } from '@hubline/sync';
import type { FaultProfileName } from '../faults/fault-profiles.js';
import type { DemoSnapshot, EmulatorView } from './snapshot.js';
import { describeStatus } from './status-words.js';

/** One point of the dashboard's chart (`GET /api/series`). */
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

/** Everything a snapshot is made of, read at one moment. */
export interface SnapshotSources {
  /** Epoch ms of the reading. */
  readonly now: number;
  /** Epoch ms the demo started. */
  readonly startedAt: number;
  /** Where events go. */
  readonly target: DemoSnapshot['target'];
  /** Whether the engine is told the network is up. */
  readonly online: boolean;
  /** Whether outages follow the schedule (false once a person took over, or with `--no-drops`). */
  readonly scheduledDrops: boolean;
  /** Whether the network can be handed back to the schedule. */
  readonly scheduleAvailable: boolean;
  /** The emulator's fault profile, or `null` against real HubSpot. */
  readonly faults: FaultProfileName | null;
  /** Whether the kiosks record on their timer. */
  readonly recording: boolean;
  /** Events recorded by this run. */
  readonly recorded: number;
  /** `--events`, or `null` without a goal. */
  readonly goal: number | null;
  /** The engine's latest `status$` value. */
  readonly status: SyncStatus;
  /** The outbox's counts, read now. */
  readonly outbox: OutboxStats;
  /** The engine's latest `stats$` value, `undefined` before the first. */
  readonly engine: SyncStats | undefined;
  /** The emulator's counters, read now; `null` against real HubSpot. */
  readonly emulator: EmulatorView | null;
}

/**
 * A delivery rate as shown: one decimal, never negative.
 *
 * @param perSecond - events per second
 */
export function roundRate(perSecond: number): number {
  return Math.max(0, Math.round(perSecond * 10) / 10);
}

/**
 * One moment of the demo, from values read at that moment. The delivery rate is the engine's own (`stats$`),
 * over its rate window; the counts are the outbox's, read fresh, since `stats$` is throttled.
 *
 * @param sources - see {@link SnapshotSources}
 */
export function composeSnapshot(sources: SnapshotSources): DemoSnapshot {
  const { outbox, engine } = sources;
  return {
    at: sources.now,
    uptimeMs: sources.now - sources.startedAt,
    target: sources.target,
    online: sources.online,
    scheduledDrops: sources.scheduledDrops,
    scheduleAvailable: sources.scheduleAvailable,
    faults: sources.faults,
    recording: sources.recording,
    status: describeStatus(sources.status, sources.online),
    recorded: sources.recorded,
    goal: sources.goal,
    pending: outbox.pending,
    inFlight: outbox.inFlight,
    delivered: outbox.delivered,
    dead: outbox.dead,
    backlogBytes: outbox.backlogBytes,
    oldestPendingAgeMs: outbox.oldestPendingAgeMs,
    requests: engine?.requests ?? 0,
    rateLimited: engine?.rateLimited ?? 0,
    retries: engine?.retries ?? 0,
    deliveryRate: roundRate(engine?.deliveryRate ?? 0),
    emulator: sources.emulator,
  };
}

/**
 * The chart point of a snapshot.
 *
 * @param snapshot - a sampled snapshot
 */
export function seriesPoint(snapshot: DemoSnapshot): SeriesPoint {
  return {
    t: snapshot.at / 1000,
    backlog: snapshot.pending + snapshot.inFlight,
    rate: snapshot.deliveryRate,
    online: snapshot.online,
  };
}
