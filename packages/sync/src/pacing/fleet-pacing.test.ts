import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { RateBudget } from '../contracts.js';
import { createRateBudget } from './create-rate-budget.js';

/**
 * A fleet of devices, each with its own budget, sending to one HubSpot account whose rolling window counts them
 * all; each answer carries the headers HubSpot would send. Returns what HubSpot counted.
 */
function runFleet(devices: number, observe: boolean) {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const max = 100;
  const windowMs = 10_000;
  const latencyMs = 30;
  const seen: number[] = [];
  let refused = 0;
  let accepted = 0;
  scheduler.run(({ flush }) => {
    const budgets: RateBudget[] = Array.from({ length: devices }, () =>
      createRateBudget({ requests: max, windowMs: windowMs + 250, scheduler }),
    );
    const send = (budget: RateBudget): void => {
      budget.acquire().subscribe((grant) => {
        grant?.use();
        const at = scheduler.now();
        if (at >= 60_000) return;
        while (seen.length > 0 && seen[0]! <= at - windowMs) seen.shift();
        if (seen.length >= max) refused += 1;
        else {
          seen.push(at);
          accepted += 1;
        }
        const remaining = Math.max(0, max - seen.length);
        scheduler.schedule(() => {
          if (observe) budget.observe?.({ max, remaining, intervalMs: windowMs });
          send(budget);
        }, latencyMs);
      });
    };
    budgets.forEach((budget, index) => {
      scheduler.schedule(() => send(budget), index * 700);
    });
    flush();
  });
  return { refused, accepted, ceiling: (max * 60_000) / windowMs };
}

/** A small deterministic pseudo-random sequence in [0, 1) (mulberry32), so jitter is the same on every run. */
function jitterSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A fleet as real processes meet HubSpot: each device keeps `inFlight` requests going, every request takes a
 * jittered time (between the two `latencyMs`) to reach HubSpot (which counts it on arrival, in its rolling window) and its answer as long again
 * to come back with `Remaining` as of that arrival; devices start a little apart. Returns what HubSpot counted.
 */
function runRealisticFleet(devices: number, seed: number, latencyMs: readonly [number, number]) {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const random = jitterSource(seed);
  const max = 100;
  const windowMs = 10_000;
  const endMs = 90_000;
  const inFlight = 2;
  const seen: number[] = [];
  let refused = 0;
  let accepted = 0;
  scheduler.run(({ flush }) => {
    const budgets: RateBudget[] = Array.from({ length: devices }, () =>
      createRateBudget({ requests: max, windowMs: windowMs + 250, scheduler }),
    );
    const send = (budget: RateBudget): void => {
      budget.acquire().subscribe((grant) => {
        grant?.use();
        if (scheduler.now() >= endMs) return;
        const [least, most] = latencyMs;
        const outbound = least + Math.floor(random() * (most - least));
        const back = least + Math.floor(random() * (most - least));
        scheduler.schedule(() => {
          const at = scheduler.now();
          while (seen.length > 0 && seen[0]! <= at - windowMs) seen.shift();
          let remaining = 0;
          const refusedNow = seen.length >= max;
          if (refusedNow) refused += 1;
          else {
            seen.push(at);
            accepted += 1;
            remaining = max - seen.length;
          }
          scheduler.schedule(() => {
            budget.observe?.({ max, remaining, intervalMs: windowMs });
            // A 429 pauses the device as the engine does: for HubSpot's interval.
            if (refusedNow) budget.pause(windowMs, 'TEN_SECONDLY_ROLLING');
            send(budget);
          }, back);
        }, outbound);
      });
    };
    for (const budget of budgets) {
      const start = Math.floor(random() * 3_000);
      for (let lane = 0; lane < inFlight; lane += 1) scheduler.schedule(() => send(budget), start);
    }
    flush();
  });
  return { refused, accepted, ceiling: (max * endMs) / windowMs };
}

describe('createRateBudget paced by HubSpot’s rate-limit headers', () => {
  // Each way: 20–180 ms on a loaded machine (the window fills in seconds), 2–20 ms on a fast one (in a second:
  // most of what HubSpot counts then is still on its way to the other devices).
  it.each([
    [1, 20, 180],
    [2, 20, 180],
    [3, 20, 180],
    [4, 2, 20],
    [5, 2, 20],
    [6, 2, 20],
  ])(
    'keeps four devices with two requests in flight under the limit (seed %i, %i–%i ms each way)',
    (seed, least, most) => {
      const fleet = runRealisticFleet(4, seed, [least, most]);
      expect(fleet.refused).toBeLessThanOrEqual(0.01 * (fleet.accepted + fleet.refused));
      expect(fleet.accepted).toBeGreaterThanOrEqual(0.8 * fleet.ceiling);
    },
  );

  it('keeps a fleet of four devices with separate budgets under the account’s limit, near its ceiling', () => {
    const blind = runFleet(4, false);
    const paced = runFleet(4, true);
    // Without the headers each device spends the whole limit: most requests are refused.
    expect(blind.refused).toBeGreaterThan(blind.accepted);
    expect(paced.refused).toBeLessThanOrEqual(0.01 * (paced.accepted + paced.refused));
    expect(paced.accepted).toBeGreaterThanOrEqual(0.8 * paced.ceiling);
  });

  it('leaves a device alone on the account at its own full limit', () => {
    const alone = runFleet(1, true);
    expect(alone.refused).toBe(0);
    expect(alone.accepted).toBeGreaterThanOrEqual(0.95 * alone.ceiling);
  });
});
