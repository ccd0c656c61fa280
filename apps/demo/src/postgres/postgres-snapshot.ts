import type { OutboxStats } from '@hubline/postgres';
import type { EmulatorSummary } from '../demo/demo-result.js';
import { formatCount } from '../view/format-numbers.js';
import type { DemoWorker } from './postgres-workers.js';

/** One worker, as the terminal and the dashboard show it. */
export interface WorkerView {
  /** `worker-1`, … */
  readonly name: string;
  /** Its engine's state, e.g. `sending`. */
  readonly state: string;
  /** Why, when the engine says. */
  readonly reason: string | undefined;
  /** Events this worker delivered. */
  readonly delivered: number;
  /** Requests it sent. */
  readonly requests: number;
  /** 429 answers it received. */
  readonly rateLimited: number;
}

/** One moment of the PostgreSQL demo. */
export interface PostgresDemoSnapshot {
  /** Seconds since the demo opened. */
  readonly uptimeSeconds: number;
  /** Events the kiosks' transactions committed this run. */
  readonly recorded: number;
  /** The shared outbox's counts (every worker's store says the same). */
  readonly outbox: OutboxStats;
  /** Whether the simulated network is up. */
  readonly online: boolean;
  /** Each worker. */
  readonly workers: readonly WorkerView[];
  /** The emulator's counters. */
  readonly emulator: EmulatorSummary;
}

/**
 * Each worker's figures from its engine's latest status and stats.
 *
 * @param workers - the workers
 */
export function workerViews(workers: readonly DemoWorker[]): WorkerView[] {
  return workers.map((worker) => ({
    name: worker.name,
    state: worker.status?.state ?? 'starting',
    reason: worker.status?.reason,
    delivered: worker.stats?.deliveredByEngine ?? 0,
    requests: worker.stats?.requests ?? 0,
    rateLimited: worker.stats?.rateLimited ?? 0,
  }));
}

/**
 * The moment on two lines: the outbox, then each worker.
 *
 * @param snapshot - the moment
 * @example
 * ```ts
 * formatPostgresLines(snapshot);
 * // ['[4.0s] recorded 400 | pending 12 | in flight 25 | delivered 363 | dead 0 | network up',
 * //  '  worker-1 sending 130 delivered | worker-2 idle 118 delivered | worker-3 sending 115 delivered']
 * ```
 */
export function formatPostgresLines(snapshot: PostgresDemoSnapshot): [string, string] {
  const { outbox } = snapshot;
  return [
    [
      `[${snapshot.uptimeSeconds.toFixed(1)}s] recorded ${formatCount(snapshot.recorded)}`,
      `pending ${formatCount(outbox.pending)}`,
      `in flight ${formatCount(outbox.inFlight)}`,
      `delivered ${formatCount(outbox.delivered)}`,
      `dead ${formatCount(outbox.dead)}`,
      `network ${snapshot.online ? 'up' : 'DOWN'}`,
    ].join(' | '),
    `  ${snapshot.workers.map((w) => `${w.name} ${w.state} ${formatCount(w.delivered)} delivered`).join(' | ')}`,
  ];
}
