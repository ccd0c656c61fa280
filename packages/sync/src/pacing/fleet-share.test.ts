import { describe, expect, it } from 'vitest';
import { fleetShare } from './fleet-share.js';

describe('fleetShare', () => {
  it('leaves a lone budget all of the window but the reserve, for a device that starts meanwhile', () => {
    expect(fleetShare({ max: 100, remaining: 60, counted: 40, mine: 41, pending: 1 })).toBe(95);
  });

  it('splits what is left among devices in proportion to what each spends, so the fleet claims it once', () => {
    // Four devices, 10 requests each counted, one more each on its way: 40 used, 4 unseen, 5 reserved.
    const claims = Array.from({ length: 4 }, () =>
      fleetShare({ max: 100, remaining: 60, counted: 10, mine: 11, pending: 1 }),
    );
    const extra = claims.reduce((sum, claim) => sum + (claim - 11), 0);
    expect(extra).toBeLessThanOrEqual(100 - 40 - 4 - 5);
    expect(extra).toBeGreaterThan(0);
  });

  it('claims less than it holds when the window is over-spent, and never less than one request', () => {
    expect(fleetShare({ max: 100, remaining: 2, counted: 30, mine: 32, pending: 2 })).toBeLessThan(32);
    expect(fleetShare({ max: 100, remaining: 0, counted: 0, mine: 0, pending: 0 })).toBe(1);
  });
});
