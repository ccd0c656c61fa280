/**
 * Every answer the emulator can give that looks like success but proves nothing, through the real engine, a real
 * outbox file and the real emulator over HTTP: the first request of each run gets the hostile answer, the rest are
 * HubSpot's. Whatever the answer, an event ends `delivered` exactly when the emulator stored it (once), and a dead
 * letter only carries HubSpot's own refusal.
 */
import type { DeliveryEvidence } from '@hubline/core/store';
import { type FaultOptions, type HostileAnswerKind, hostileAnswerKinds } from '@hubline/emulator';
import { describe, expect, it } from 'vitest';
import { hostileDialects, startHostileRun } from './support/hostile-run.js';
import { until } from './support/integration.js';

/** What one class of answer does to the i-th of n events sent together. */
interface AnswerClass {
  /** Only the v3 batch route gives it (the emulator lets 2026-03 requests through). */
  readonly v3Only?: boolean;
  /** Batch sizes worth running: where a lone event and a batch are read differently, both. */
  readonly sizes: readonly number[];
  /** Attempts the event used when it settled. */
  attempts(i: number, n: number): number;
  /** What proved its delivery; `dead` when HubSpot's answer refused it. */
  proof(i: number, n: number): DeliveryEvidence | 'dead';
  /** The events are stored only later (`…-delayed`): wait for that before judging. */
  readonly storedLater?: boolean;
  readonly faults?: FaultOptions;
}

/** The hostile 2xx that store nothing: unknown, an attempt, re-sent and created. */
const unstored: AnswerClass = { sizes: [3], attempts: () => 1, proof: () => 'result' };
/** Their `-stored` twins: unknown, an attempt, re-sent and answered "already exists". */
const stored: AnswerClass = { sizes: [3], attempts: () => 1, proof: () => 'already-exists' };
/** `PENDING`/`PROCESSING`: accepted, no attempt; confirmed by the re-send's "already exists". */
const accepted: AnswerClass = { sizes: [1, 3], attempts: () => 0, proof: () => 'already-exists' };
/** Their `-delayed` twins: the re-send comes before the events are stored, so it creates them. */
const acceptedLater: AnswerClass = {
  sizes: [3],
  attempts: () => 0,
  proof: () => 'result',
  storedLater: true,
  faults: { pendingMs: 400 },
};
/** The emulator leaves out (or replaces) the 1st, 3rd, … event: index 0, 2, … */
const leftOut = (i: number): boolean => i % 2 === 0;

const classes: Record<HostileAnswerKind, AnswerClass> = {
  'empty-200': unstored,
  'empty-200-stored': stored,
  'html-200': unstored,
  'html-200-stored': stored,
  'error-json-200': unstored,
  'error-json-200-stored': stored,
  'junk-json-200': unstored,
  'junk-json-200-stored': stored,
  'no-content-204': unstored,
  'no-content-204-stored': stored,
  'status-299': unstored,
  'status-299-stored': stored,
  'batch-pending': accepted,
  'batch-processing': accepted,
  'batch-pending-delayed': acceptedLater,
  'batch-processing-delayed': acceptedLater,
  // Not stored and HubSpot says so: a retry that counts, then created.
  'batch-canceled': { sizes: [1, 3], attempts: () => 1, proof: () => 'result' },
  'results-missing': {
    sizes: [1, 3],
    attempts: (i) => (leftOut(i) ? 1 : 0),
    proof: (i) => (leftOut(i) ? 'already-exists' : 'result'),
  },
  'results-unsent-ids': {
    sizes: [1, 3],
    attempts: (i) => (leftOut(i) ? 1 : 0),
    proof: () => 'result',
  },
  // The one event named by nothing takes the one error named by nothing: "already exists" proves it.
  'unattributed-exists': {
    v3Only: true,
    sizes: [1, 3],
    attempts: () => 0,
    proof: (i, n) => (i === n - 1 ? 'already-exists' : 'result'),
  },
  // …and a validation error refuses it: HubSpot's definitive word, so a dead letter (never stored).
  'unattributed-invalid': {
    v3Only: true,
    sizes: [1, 3],
    attempts: () => 0,
    proof: (i, n) => (i === n - 1 ? 'dead' : 'result'),
  },
  // Past the transport's 1 MiB cap: the request is cut, the outcome unknown.
  'oversized-body': { ...unstored, faults: { oversizedBytes: 3 * 1024 * 1024 } },
  'oversized-body-stored': { ...stored, faults: { oversizedBytes: 3 * 1024 * 1024 } },
  // Never ends: the request times out, the outcome unknown.
  'dripping-body': { ...unstored, faults: { dripIntervalMs: 50, dripMs: 5000 } },
  'dripping-body-stored': { ...stored, faults: { dripIntervalMs: 50, dripMs: 5000 } },
};

const cases = hostileDialects.flatMap(([name, dialect]) =>
  hostileAnswerKinds.flatMap((kind) => {
    const answerClass = classes[kind];
    if (answerClass.v3Only === true && name !== 'v3') return [];
    return answerClass.sizes.map((size) => ({ name, dialect, kind, size, answerClass }));
  }),
);

describe('hostile 2xx answers through the real engine, outbox and emulator', () => {
  it('cover every hostile answer kind the emulator has', () => {
    expect(Object.keys(classes).sort()).toEqual([...hostileAnswerKinds].sort());
  });

  it.each(cases)('$name: $kind to $size event(s)', { timeout: 20_000 }, async (run) => {
    const { dialect, kind, size, answerClass } = run;
    const hostile = await startHostileRun(dialect, {
      faults: { seed: 11, sequence: [kind], ...answerClass.faults },
    });
    const ids = hostile.record(size);
    await hostile.drained();
    if (answerClass.storedLater === true) {
      // The delayed store meets the ids the re-send already stored: each counts as a duplicate, never a copy.
      await until(() => hostile.emulator.counters().duplicateIdsSeen >= size, 5000, 'the delayed store');
    }

    expect(hostile.emulator.requests()[0]?.fault).toBe(kind);
    const dead = ids.filter((_, i) => answerClass.proof(i, size) === 'dead');
    hostile.expectTruth(ids, dead.length > 0 ? ['VALIDATION_ERROR'] : []);
    ids.forEach((id, i) => {
      const entry = hostile.temp.outbox.get(id)!;
      const proof = answerClass.proof(i, size);
      const delivered = hostile.temp.outbox
        .history(id)
        .map((record) => record.event)
        .find((event) => event.type === 'Delivered');
      expect({
        i,
        status: entry.status,
        attempts: entry.attempts,
        proof: delivered?.evidence ?? 'dead',
      }).toEqual({
        i,
        status: proof === 'dead' ? 'dead' : 'delivered',
        attempts: answerClass.attempts(i, size),
        proof,
      });
    });
  });
});
