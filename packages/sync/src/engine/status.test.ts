import { describe, expect, it } from 'vitest';
import { deriveStatus, type StatusFacts } from './status.js';

const calm: StatusFacts = {
  now: 1000,
  stopped: false,
  pause: undefined,
  hostOnline: true,
  rateLimitedUntil: 0,
  rateLimitReason: 'HubSpot said 429 (TEN_SECONDLY_ROLLING)',
  inFlight: 0,
  waitingForBudget: 0,
  backingOffUntil: 0,
};

describe('deriveStatus', () => {
  it('is idle when nothing holds the engine back', () => {
    expect(deriveStatus(calm)).toEqual({ state: 'idle' });
  });

  it('ranks stopped over a pause, a pause over the host network, the network over a 429, a 429 over sending', () => {
    const pause = { state: 'unauthorized' as const, reason: 'token refused', until: 5000 };
    const everything: StatusFacts = {
      ...calm,
      stopped: true,
      pause,
      hostOnline: false,
      rateLimitedUntil: 2000,
      inFlight: 1,
      backingOffUntil: 3000,
    };
    expect(deriveStatus(everything).state).toBe('stopped');
    expect(deriveStatus({ ...everything, stopped: false })).toEqual(pause);
    expect(deriveStatus({ ...everything, stopped: false, pause: undefined }).state).toBe('offline');
    expect(deriveStatus({ ...everything, stopped: false, pause: undefined, hostOnline: true })).toEqual({
      state: 'rate-limited',
      reason: calm.rateLimitReason,
      until: 2000,
    });
    expect(deriveStatus({ ...calm, inFlight: 1, waitingForBudget: 1, backingOffUntil: 3000 }).state).toBe(
      'sending',
    );
    expect(deriveStatus({ ...calm, waitingForBudget: 1, backingOffUntil: 3000 })).toEqual({
      state: 'pacing',
      reason: 'waiting for the rate budget',
    });
    expect(deriveStatus({ ...calm, backingOffUntil: 3000 })).toMatchObject({
      state: 'backing-off',
      until: 3000,
    });
  });

  it('forgets a 429 pause or a backoff that has run out', () => {
    expect(deriveStatus({ ...calm, rateLimitedUntil: 1000, backingOffUntil: 999 })).toEqual({
      state: 'idle',
    });
  });
});
