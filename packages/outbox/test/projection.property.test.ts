import { fold, type Settlement } from '@hubline/core/store';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Outbox } from '../src/types.js';
import { databaseOf, openOutbox } from './inspect.js';
import { manualClock, sampleInput } from './support.js';

type Command =
  | { kind: 'record'; ids: number[] }
  | { kind: 'claim'; owner: string; limit: number; leaseMs: number }
  | { kind: 'settle'; owner: string; picks: number[]; outcome: 'delivered' | 'failed' | 'retry' | 'dead' }
  | { kind: 'release'; owner: string; picks: number[]; delayMs: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'step'; ms: number }
  | { kind: 'requeue'; picks: number[] | 'all-dead' }
  | { kind: 'prune' };

const owners = fc.constantFrom('a', 'b');
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('record' as const),
    ids: fc.array(fc.nat(30), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant('claim' as const),
    owner: owners,
    limit: fc.integer({ min: 1, max: 4 }),
    leaseMs: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({
    kind: fc.constant('settle' as const),
    owner: owners,
    picks: fc.array(fc.nat(40), { minLength: 1, maxLength: 4 }),
    outcome: fc.constantFrom('delivered' as const, 'failed' as const, 'retry' as const, 'dead' as const),
  }),
  fc.record({
    kind: fc.constant('release' as const),
    owner: owners,
    picks: fc.array(fc.nat(40), { minLength: 1, maxLength: 4 }),
    delayMs: fc.integer({ min: 0, max: 100 }),
  }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 300 }) }),
  // The wall clock jumping, back or forward, by up to two hours.
  fc.record({ kind: fc.constant('step' as const), ms: fc.integer({ min: -7_200_000, max: 7_200_000 }) }),
  fc.record({
    kind: fc.constant('requeue' as const),
    picks: fc.oneof(fc.array(fc.nat(40), { maxLength: 3 }), fc.constant('all-dead' as const)),
  }),
  fc.record({ kind: fc.constant('prune' as const) }),
);

function settlementFor(id: string, outcome: string): Settlement {
  switch (outcome) {
    case 'delivered':
      return { id, type: 'delivered', alreadyExisted: false };
    case 'failed':
      return {
        id,
        type: 'failed',
        reason: '503',
        status: 503,
        countsAsAttempt: true,
        delayMs: 50,
        maxAttempts: 3,
      };
    case 'retry':
      return { id, type: 'failed', reason: 'offline', countsAsAttempt: false, delayMs: 20 };
    default:
      return { id, type: 'dead', category: 'VALIDATION_ERROR', message: 'refused', status: 400 };
  }
}

/** Every entry's projection equals the fold of its log, and the counters equal a recount. */
function expectProjectionIsFold(outbox: Outbox): void {
  const db = databaseOf(outbox);
  const ids = db.prepare('SELECT id FROM entries ORDER BY rk').pluck().all() as string[];
  for (const id of ids) {
    const { id: _id, event: _event, account: _account, ...projection } = outbox.get(id)!;
    expect(projection).toEqual(fold(outbox.history(id).map((record) => record.event)));
  }
  const recount = db
    .prepare(
      `SELECT
        (SELECT count(*) FROM entries WHERE status = 'pending') AS pending,
        (SELECT count(*) FROM entries WHERE status = 'leased') AS inFlight,
        (SELECT count(*) FROM entries WHERE status = 'delivered') AS delivered,
        (SELECT count(*) FROM entries WHERE status = 'dead') AS dead,
        (SELECT count(*) FROM entries WHERE status = 'evicted') AS evicted,
        (SELECT coalesce(sum(bytes), 0) FROM entries WHERE status IN ('pending', 'leased')) AS backlogBytes`,
    )
    .get();
  const { oldestPendingAgeMs: _age, ...stats } = outbox.stats();
  expect(stats).toEqual(recount);
}

describe('Outbox projection', () => {
  it('equals the fold of the lifecycle log after any sequence of record, claim, settle, release, expire, requeue, prune and clock steps', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), fc.boolean(), (commands, capped) => {
        const clock = manualClock();
        const outbox = openOutbox({
          path: ':memory:',
          clock: clock.now,
          ...(capped ? { maxEntries: 8, capacityPolicy: 'evict-oldest' as const } : {}),
        });
        const known: string[] = [];
        const pick = (n: number) => known[n % Math.max(1, known.length)] ?? 'missing';
        try {
          for (const step of commands) {
            switch (step.kind) {
              case 'record':
                try {
                  known.push(...outbox.recordMany(step.ids.map((n) => sampleInput(n, { id: `e${n}` }))));
                } catch (error) {
                  if ((error as { code?: string }).code !== 'CAPACITY_EXCEEDED') throw error;
                }
                break;
              case 'claim':
                outbox.claim(step);
                break;
              case 'settle':
                outbox.settle(
                  step.owner,
                  step.picks.map((n) => settlementFor(pick(n), step.outcome)),
                );
                break;
              case 'release':
                outbox.release(
                  step.owner,
                  step.picks.map((n) => ({
                    id: pick(n),
                    reason: 'paused',
                    detail: 'offline',
                    delayMs: step.delayMs,
                  })),
                );
                break;
              case 'advance':
              case 'step':
                clock.advance(step.ms);
                break;
              case 'requeue':
                outbox.requeue(step.picks === 'all-dead' ? 'all-dead' : step.picks.map(pick));
                break;
              case 'prune':
                outbox.prune({ olderThanMs: 0 });
                break;
            }
          }
          expectProjectionIsFold(outbox);
          const before = known.map((id) => outbox.get(id));
          const statsBefore = outbox.stats();
          outbox.rebuildProjection();
          expect(known.map((id) => outbox.get(id))).toEqual(before);
          expect(outbox.stats()).toEqual(statsBefore);
          expectProjectionIsFold(outbox);
        } finally {
          outbox.close();
        }
      }),
      { numRuns: 150 },
    );
    // Heavy by design (150 outboxes, thousands of transactions): about 2 s alone, far more on a loaded machine.
  }, 60_000);
});
