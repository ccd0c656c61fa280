import {
  createAppEventsDialect,
  createV3Dialect,
  type TimelineEventInput,
  type WireDialect,
} from '@hubline/core';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '@hubline/emulator';
import { expect, onTestFinished } from 'vitest';
import type { SyncEngine, SyncEngineOptions, SyncOutcome, SyncStatus } from '../../src/engine/types.js';
import { deliveryTruthViolations } from './delivery-truth.js';
import {
  fastEngineOptions,
  openTempOutbox,
  startRecording,
  type TempOutbox,
  until,
  visit,
} from './integration.js';

/** How long a `PENDING`/`PROCESSING` batch waits before it is confirmed, in these tests. */
const CONFIRM_DELAY_MS = 100;

/** The two dialects, each confirming accepted batches after {@link CONFIRM_DELAY_MS}. */
export const hostileDialects: readonly (readonly [name: 'v3' | '2026-03', dialect: WireDialect])[] = [
  ['v3', createV3Dialect({ confirmDelayMs: CONFIRM_DELAY_MS })],
  ['2026-03', createAppEventsDialect({ confirmDelayMs: CONFIRM_DELAY_MS })],
];

/**
 * Engine settings for hostile runs: a timeout short enough to cut a slow or dripping answer within a second,
 * backoffs of tens of ms, three attempts, and 3 s of confirming an event whose last attempt may still land (the
 * emulator's slow and accepted answers land within 1.5 s in these tests).
 */
export const HOSTILE_TUNING = {
  requestTimeoutMs: 500,
  maxAttempts: 3,
  confirmWindowMs: 3000,
  backoff: { baseMs: 20, maxMs: 100 },
  batchDelayMs: 0,
} as const satisfies Partial<SyncEngineOptions>;

/** A real emulator, a real outbox file and the real engine between them, cleaned up when the test ends. */
export interface HostileRun {
  readonly emulator: RunningEmulator;
  readonly temp: TempOutbox;
  readonly engine: SyncEngine;
  readonly outcomes: SyncOutcome[];
  readonly statuses: SyncStatus[];
  /** Record events (valid visits unless given) and return their ids. */
  record(count: number, make?: (n: number) => TimelineEventInput): string[];
  /** Wait until nothing is pending or leased. */
  drained(timeoutMs?: number): Promise<void>;
  /**
   * Wait until every request has ended more than `lateMs` ago, so that nothing the emulator answered early (an
   * accepted batch) or late (a slow one) can still store events: a run's truth is judged after that.
   */
  landed(lateMs: number, timeoutMs?: number): Promise<void>;
  /** Assert the run told the truth about `ids` (see {@link deliveryTruthViolations}). */
  expectTruth(ids: readonly string[], refusals?: readonly string[]): void;
}

/**
 * Start a hostile run in the current test. The engine starts at once; record after.
 *
 * @param dialect - the wire dialect
 * @param emulatorOptions - faults and limits of the emulator
 * @param engineOptions - engine options over {@link HOSTILE_TUNING}
 */
export async function startHostileRun(
  dialect: WireDialect,
  emulatorOptions: EmulatorOptions = {},
  engineOptions: Partial<SyncEngineOptions> = {},
): Promise<HostileRun> {
  const emulator = await startEmulator(emulatorOptions);
  const temp = openTempOutbox();
  const statuses: SyncStatus[] = [];
  const { engine, outcomes } = startRecording(
    fastEngineOptions(emulator, temp.outbox, dialect, { ...HOSTILE_TUNING, ...engineOptions }),
  );
  engine.status$.subscribe((status) => statuses.push(status));
  onTestFinished(async () => {
    await engine.stop({ timeoutMs: 0 });
    await emulator.stop();
    temp.dispose();
  });
  let n = 0;
  return {
    emulator,
    temp,
    engine,
    outcomes,
    statuses,
    record(count, make = visit) {
      const inputs = Array.from({ length: count }, (_, index) => make(n + index + 1));
      n += count;
      return temp.outbox.recordMany(inputs);
    },
    drained: (timeoutMs = 10_000) =>
      until(
        () => {
          const stats = temp.outbox.stats();
          return stats.pending === 0 && stats.inFlight === 0;
        },
        timeoutMs,
        `the outbox to drain (status ${JSON.stringify(statuses.at(-1))})`,
      ),
    landed: (lateMs, timeoutMs = 10_000) =>
      until(
        () =>
          emulator
            .requests()
            .every(
              (request) =>
                request.durationMs !== undefined &&
                request.receivedAt + request.durationMs + lateMs < Date.now(),
            ),
        timeoutMs,
        'every request to end and land',
      ),
    expectTruth(ids, refusals = []) {
      const violations = deliveryTruthViolations(emulator, temp.outbox, ids, {
        readBack: dialect.readBack !== undefined,
        refusals,
        outcomes,
      });
      if (violations.length > 0) {
        // Each wrong id's story, so a failing seed explains itself.
        const wrong = ids.filter((id) => violations.some((violation) => violation.startsWith(`${id}:`)));
        for (const id of wrong.slice(0, 3)) {
          console.error(`history of ${id}:\n${describeHistory(temp, id)}`);
        }
      }
      expect(violations).toEqual([]);
    },
  };
}

/** One entry's lifecycle, a line per event, for failure messages. */
function describeHistory(temp: TempOutbox, id: string): string {
  return temp.outbox
    .history(id)
    .map(({ event }) => `  ${JSON.stringify(event)}`)
    .join('\n');
}
