import { isHublineError } from '@hubline/core';
import fc from 'fast-check';
import type { Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { RateBudget, RateGrant } from '../contracts.js';
import { createRateBudget } from './create-rate-budget.js';

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** Schedules `work` at virtual time `at` (ms from the start of the run). */
function at(scheduler: TestScheduler, time: number, work: () => void): void {
  scheduler.schedule(work, time);
}

/** Subscribes to `budget.acquire()`, sends at once (uses the grant) and records the virtual time under `label`. */
function acquireInto(
  scheduler: TestScheduler,
  budget: RateBudget,
  grants: Array<{ label: string; time: number }>,
  label: string,
): Subscription {
  return budget.acquire().subscribe((grant) => {
    grant?.use();
    grants.push({ label, time: scheduler.now() });
  });
}

/** The largest number of grants inside any half-open window `[t, t + windowMs)`. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  return Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + windowMs).length));
}

describe('createRateBudget', () => {
  it('lets a burst of 250 through as 100 at once, then never more than 100 in any 10-s window', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const budget = createRateBudget({ scheduler });
      const grants: Array<{ label: string; time: number }> = [];

      for (let i = 0; i < 250; i += 1) acquireInto(scheduler, budget, grants, String(i));
      flush();

      const times = grants.map((grant) => grant.time);
      expect(times).toHaveLength(250);
      expect(times.filter((time) => time === 0)).toHaveLength(100);
      expect(busiestWindow(times, 10_000)).toBe(100);
      expect(times.at(-1)).toBe(20_000);
      expect(grants.map((grant) => grant.label)).toEqual(Array.from({ length: 250 }, (_, i) => String(i)));
    });
  });

  it('frees each slot exactly one window after its own grant (a sliding log, not fixed windows)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const budget = createRateBudget({ requests: 10, windowMs: 1000, scheduler });
      const grants: Array<{ label: string; time: number }> = [];

      for (let i = 0; i < 6; i += 1) acquireInto(scheduler, budget, grants, 'early');
      at(scheduler, 500, () => {
        for (let i = 0; i < 10; i += 1) acquireInto(scheduler, budget, grants, 'late');
      });
      flush();

      const times = grants.map((grant) => grant.time);
      expect(times).toEqual([0, 0, 0, 0, 0, 0, 500, 500, 500, 500, 1000, 1000, 1000, 1000, 1000, 1000]);
      expect(busiestWindow(times, 1000)).toBe(10);
    });
  });

  it('holds every waiter, and every newcomer, until a pause ends', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const budget = createRateBudget({ scheduler });
      const grants: Array<{ label: string; time: number }> = [];

      acquireInto(scheduler, budget, grants, 'before');
      at(scheduler, 1000, () => budget.pause(3000, 'TEN_SECONDLY_ROLLING'));
      at(scheduler, 1500, () => acquireInto(scheduler, budget, grants, 'a'));
      at(scheduler, 2000, () => acquireInto(scheduler, budget, grants, 'b'));
      at(scheduler, 2500, () => expect(budget.pausedUntil()).toBe(4000));
      flush();

      expect(grants).toEqual([
        { label: 'before', time: 0 },
        { label: 'a', time: 4000 },
        { label: 'b', time: 4000 },
      ]);
      expect(budget.pausedUntil()).toBe(0);
    });
  });

  it('extends a pause that is running but never shortens it, and reports each extension', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const budget = createRateBudget({ scheduler });
      const grants: Array<{ label: string; time: number }> = [];
      const reported: Array<{ until: number; reason: string }> = [];
      budget.paused$.subscribe((pause) => reported.push({ ...pause }));

      budget.pause(3000, 'first 429');
      acquireInto(scheduler, budget, grants, 'waiter');
      at(scheduler, 1000, () => budget.pause(6000, 'second 429'));
      at(scheduler, 2000, () => budget.pause(1000, 'shorter'));
      flush();

      expect(grants).toEqual([{ label: 'waiter', time: 7000 }]);
      expect(reported).toEqual([
        { until: 3000, reason: 'first 429' },
        { until: 7000, reason: 'second 429' },
      ]);
    });
  });

  it('serves concurrent acquirers first come, first served', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const budget = createRateBudget({ requests: 1, windowMs: 1000, scheduler });
      const grants: Array<{ label: string; time: number }> = [];

      acquireInto(scheduler, budget, grants, 'a');
      acquireInto(scheduler, budget, grants, 'b');
      at(scheduler, 10, () => acquireInto(scheduler, budget, grants, 'c'));
      at(scheduler, 20, () => acquireInto(scheduler, budget, grants, 'd'));
      flush();

      expect(grants).toEqual([
        { label: 'a', time: 0 },
        { label: 'b', time: 1000 },
        { label: 'c', time: 2000 },
        { label: 'd', time: 3000 },
      ]);
    });
  });

  it('gives a waiter’s place to the next one when it unsubscribes, and consumes no slot for it', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const budget = createRateBudget({ requests: 1, windowMs: 1000, scheduler });
      const grants: Array<{ label: string; time: number }> = [];

      acquireInto(scheduler, budget, grants, 'a');
      const b = acquireInto(scheduler, budget, grants, 'b');
      acquireInto(scheduler, budget, grants, 'c');
      acquireInto(scheduler, budget, grants, 'd');
      at(scheduler, 500, () => b.unsubscribe());
      flush();

      expect(grants).toEqual([
        { label: 'a', time: 0 },
        { label: 'c', time: 1000 },
        { label: 'd', time: 2000 },
      ]);
    });
  });

  it('leaves no timer behind once nobody waits', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const budget = createRateBudget({ requests: 1, windowMs: 1000, scheduler });
      budget.acquire().subscribe();
      const waiting = budget.acquire().subscribe();
      expect(scheduler.actions.length).toBe(1);

      waiting.unsubscribe();

      expect(scheduler.actions.length).toBe(0);
      flush();
    });
  });

  it('serves an acquirer that asks again from inside its own grant', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const budget = createRateBudget({ requests: 2, windowMs: 1000, scheduler });
      const times: number[] = [];
      const loop = (left: number): void => {
        budget.acquire().subscribe((grant) => {
          grant?.use();
          times.push(scheduler.now());
          if (left > 1) loop(left - 1);
        });
      };

      loop(5);
      flush();

      expect(times).toEqual([0, 0, 1000, 1000, 2000]);
    });
  });

  it('refuses a limit or window that is not a positive integer, naming the field', () => {
    let thrown: unknown;
    try {
      createRateBudget({ requests: 0, windowMs: 1.5 });
    } catch (error) {
      thrown = error;
    }

    expect(isHublineError(thrown, 'VALIDATION_FAILED')).toBe(true);
    expect((thrown as Error).message).toContain('requests');
    expect((thrown as Error).message).toContain('windowMs');
  });
});

describe('createRateBudget grants', () => {
  it('count a held grant from when it is used, so a page held through other requests never bursts', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const budget = createRateBudget({ requests: 2, windowMs: 1000, scheduler });
      const sent: number[] = [];
      let held: RateGrant | undefined;
      budget.acquire().subscribe((grant) => {
        held = grant;
      });
      // Two more requests go out while the first grant is held; the budget admits only one of them at once.
      for (let i = 0; i < 2; i += 1) acquireInto(scheduler, budget, [], 'other');
      at(scheduler, 1500, () => {
        held?.use();
        sent.push(scheduler.now());
      });
      // A request right after the held one left must wait for the window of the slot used at 1500.
      at(scheduler, 1600, () =>
        budget.acquire().subscribe((grant) => {
          grant?.use();
          sent.push(scheduler.now());
        }),
      );
      flush();
      // 0: held; 0: other; 1000: other (a full window after the first other). 1500: the held one leaves, so
      // within [1500, 2500) only one more fits after the other at 1000 expires at 2000.
      expect(sent).toEqual([1500, 2000]);
    });
  });

  it('free their slot at once when released', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const budget = createRateBudget({ requests: 1, windowMs: 1000, scheduler });
      const times: number[] = [];
      budget.acquire().subscribe((grant) => at(scheduler, 200, () => grant?.release()));
      acquireInto(scheduler, budget, [], 'x');
      budget.acquire().subscribe(() => times.push(scheduler.now()));
      flush();
      expect(times).toEqual([1200]);
    });
  });

  it('take back a grant held five windows without being used or released', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const budget = createRateBudget({ requests: 1, windowMs: 1000, scheduler });
      const times: number[] = [];
      budget.acquire().subscribe();
      budget.acquire().subscribe((grant) => {
        grant?.use();
        times.push(scheduler.now());
      });
      flush();
      expect(times).toEqual([5000]);
    });
  });
});

describe('createRateBudget against a reference model', () => {
  it('grants each waiter at the earliest time the window, the queue order and every pause allow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 40 }),
        fc.array(
          fc.record({ at: fc.integer({ min: 0, max: 5000 }), ms: fc.integer({ min: 1, max: 3000 }) }),
          {
            maxLength: 4,
          },
        ),
        (requests, windowMs, unsortedArrivals, rawPauses) => {
          const arrivals = [...unsortedArrivals].sort((a, b) => a - b);
          // Pauses start a quarter-ms off the integer grid so that no arrival ties with one; a pause that ties
          // with a wake-up wins, because it was scheduled first.
          const pauses = rawPauses.map((pause) => ({
            start: pause.at + 0.25,
            until: pause.at + 0.25 + pause.ms,
          }));
          const granted: number[] = [];
          const scheduler = testScheduler();
          scheduler.run(({ flush }) => {
            const budget = createRateBudget({ requests, windowMs, scheduler });
            arrivals.forEach((arrival, index) => {
              at(scheduler, arrival, () => {
                budget.acquire().subscribe((grant) => {
                  grant?.use();
                  granted[index] = scheduler.now();
                });
              });
            });
            for (const pause of pauses)
              at(scheduler, pause.start, () => budget.pause(pause.until - pause.start, 'p'));
            flush();
          });

          const expected: number[] = [];
          arrivals.forEach((arrival, index) => {
            let time = Math.max(
              arrival,
              expected[index - 1] ?? 0,
              index >= requests ? (expected[index - requests] as number) + windowMs : 0,
            );
            for (;;) {
              const until = Math.max(
                0,
                ...pauses.filter((pause) => pause.start <= time).map((pause) => pause.until),
              );
              if (time >= until) break;
              time = until;
            }
            expected.push(time);
          });
          expect(granted).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
