import type { OutboxStats } from '@hubline/postgres';
import type { EmulatorSummary } from '../demo/demo-result.js';
import { formatCount } from '../view/format-numbers.js';
import type { WorkerView } from './postgres-snapshot.js';

/** The prefix of the machine-readable last line. */
const RESULT_PREFIX = 'HUBLINE_PG_DEMO_RESULT ';

/** What a `--postgres` run did; printed as `HUBLINE_PG_DEMO_RESULT {json}` for scripts and tests. */
export interface PostgresDemoResult {
  /** The server, in words (never a password). */
  readonly server: string;
  /** The fault profile at the end. */
  readonly faults: string;
  /** The seed, to replay the run. */
  readonly seed: number;
  /** How long the run took, ms. */
  readonly durationMs: number;
  /** Whether every worker finished draining within the shutdown budget. */
  readonly drained: boolean;
  /** Events the kiosks' transactions committed this run. */
  readonly recorded: number;
  /** Rows in the app's own table written by this run: equal to `recorded`, as they commit together. */
  readonly appRows: number;
  /** `--events`, or `null`. */
  readonly goal: number | null;
  /** The shared outbox's counts at the end (earlier runs on the same schema included). */
  readonly outbox: OutboxStats;
  /** Each worker's share. */
  readonly workers: readonly WorkerView[];
  /** The emulator's counters and its exactly-once check of this run's ids. */
  readonly emulator: EmulatorSummary;
}

/**
 * The final report of a `--postgres` run, ending (when `resultLine`) with the machine-readable line.
 *
 * @param result - the run
 * @param resultLine - whether to end with `HUBLINE_PG_DEMO_RESULT {json}`
 */
export function formatPostgresReport(result: PostgresDemoResult, resultLine: boolean): string {
  const { emulator } = result;
  const lines = [
    '── Hubline demo on PostgreSQL: final report ─────────────────',
    `ran ${(result.durationMs / 1000).toFixed(1)} s on ${result.server} (faults: ${result.faults}), seed ${result.seed}`,
    `recorded this run   ${formatCount(result.recorded)} events, each in one transaction with its app row (${formatCount(result.appRows)} rows)`,
    `outbox              ${formatCount(result.outbox.delivered)} delivered, ${formatCount(result.outbox.dead)} dead, ${formatCount(result.outbox.pending + result.outbox.inFlight)} waiting`,
    ...result.workers.map(
      (w) =>
        `${w.name.padEnd(20)}${formatCount(w.delivered)} delivered, ${formatCount(w.requests)} requests, ${formatCount(w.rateLimited)} answered 429`,
    ),
    `emulator            stored ${formatCount(emulator.eventsStored)} events, ${formatCount(emulator.duplicateIdsSeen)} re-sent ids recognised, ${formatCount(emulator.faultsInjected)} faults injected`,
    `exactly once        ${formatCount(emulator.idsStoredMoreThanOnce ?? 0)} ids stored twice; this run: ${formatCount(emulator.runIdsStoredExactlyOnce ?? 0)} of ${formatCount(result.recorded)} stored exactly once, ${formatCount(emulator.runIdsMissing ?? 0)} missing`,
  ];
  if (resultLine) lines.push(`${RESULT_PREFIX}${JSON.stringify(result)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The result from a run's output, or `undefined` when it printed none.
 *
 * @param output - everything the run printed
 */
export function parsePostgresResultLine(output: string): PostgresDemoResult | undefined {
  const line = output.split('\n').find((candidate) => candidate.startsWith(RESULT_PREFIX));
  return line === undefined
    ? undefined
    : (JSON.parse(line.slice(RESULT_PREFIX.length)) as PostgresDemoResult);
}
