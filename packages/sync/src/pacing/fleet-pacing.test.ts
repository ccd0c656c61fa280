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

describe('createRateBudget paced by HubSpot’s rate-limit headers', () => {
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
