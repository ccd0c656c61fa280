/**
 * A seeded storm of every answer the emulator can give at once — visible failures and answers that prove nothing,
 * on batches and read-backs alike — through the real engine, outbox file and emulator; then calm, and the outbox
 * must tell the truth about every event. Replay a failing run with `HUBLINE_STORM_SEED=<seed>`.
 */
import { type ApiFaultKind, apiFaultKinds } from '@hubline/emulator';
import { describe, expect, it } from 'vitest';
import { hostileDialects, startHostileRun } from './support/hostile-run.js';
import { visit } from './support/integration.js';

/** How long after answering `PENDING`/`PROCESSING` the emulator stores an accepted batch. */
const PENDING_MS = 1000;

const SEED = Number(process.env.HUBLINE_STORM_SEED ?? Math.floor(Math.random() * 2 ** 31));

/**
 * Left out for the emulator's sake: `unattributed-invalid` refuses the last event of a batch as invalid even when
 * an earlier request already stored it (HubSpot would say it exists), so after a `-stored` answer it makes the
 * emulator contradict itself. The per-class tests run it on events it has never seen.
 */
const SELF_CONTRADICTING: readonly ApiFaultKind[] = ['unattributed-invalid'];

describe.each(hostileDialects)('a seeded storm of hostile answers (%s)', (name, dialect) => {
  it('every event ends delivered exactly when the emulator stored it, once; dead only on HubSpot’s word', {
    timeout: 45_000,
  }, async () => {
    const seed = SEED + (name === 'v3' ? 0 : 1);
    const kinds = apiFaultKinds.filter((kind) => !SELF_CONTRADICTING.includes(kind));
    // Half of the requests get a fault, spread evenly over the kinds.
    const rates = Object.fromEntries(kinds.map((kind) => [kind, 0.5 / kinds.length]));
    const hostile = await startHostileRun(
      dialect,
      {
        faults: {
          seed,
          rates,
          burstLength: 1,
          retryAfterSeconds: 1,
          oversizedBytes: 2 * 1024 * 1024,
          dripIntervalMs: 50,
          dripMs: 3000,
          // Within the engine's confirmWindowMs (3 s): a slow answer or an accepted batch lands while the engine
          // may still be confirming it, the race these kinds exist to provoke.
          slowMs: 1500,
          pendingMs: PENDING_MS,
          htmlBodyRate: 0.5,
        },
        limits: { rateWindowMs: 1000 },
      },
      { batchSize: 3, maxAttempts: 4, maxInFlight: 2 },
    );
    // One event in 20 is one HubSpot refuses for good (a token its template lacks).
    const make = (n: number) =>
      n % 20 === 0 ? visit(n, { tokens: { page: `/bad/${n}`, bogus: 'not in the template' } }) : visit(n);
    const ids: string[] = [];
    try {
      // Rounds, each drained while the storm goes on: a later one meets whatever the one before left behind.
      for (const count of [50, 50, 50]) {
        ids.push(...hostile.record(count, make));
        await hostile.drained(20_000);
      }
      // An accepted batch or a slow request that lands after the outbox gave its event up is the very lie to catch.
      await hostile.landed(PENDING_MS + 200);

      expect(hostile.emulator.counters().faultsInjected).toBeGreaterThan(20);
      // HubSpot's VALIDATION_ERROR for the invalid events, and nothing else.
      hostile.expectTruth(ids, ['VALIDATION_ERROR']);
      const invalid = ids.filter((_, index) => (index + 1) % 20 === 0);
      expect(invalid.map((id) => hostile.temp.outbox.get(id)?.status)).toEqual(invalid.map(() => 'dead'));
    } catch (error) {
      throw new Error(`storm failed: replay with HUBLINE_STORM_SEED=${SEED} (seed ${seed}, ${name})`, {
        cause: error,
      });
    }
  });
});
