import type { FaultKind, FaultOptions } from '@hubline/emulator';

/** The names of the fault profiles. */
export type FaultProfileName = 'calm' | 'flaky' | 'storm';

/** Every fault profile name, mildest first. */
export const FAULT_PROFILE_NAMES: readonly FaultProfileName[] = Object.freeze(['calm', 'flaky', 'storm']);

const NO_FAULTS: Readonly<Record<FaultKind, number>> = {
  'error-500': 0,
  'error-502': 0,
  'error-503': 0,
  'error-504': 0,
  'rate-limit-burst': 0,
  'locked-423': 0,
  'migrating-477': 0,
  'reset-before-store': 0,
  'reset-after-store': 0,
  slow: 0,
};

/** The first requests under `storm`: a 5xx, a lost answer whose events were stored, then a 429. */
const STORM_OPENING: readonly (FaultKind | 'none')[] = Object.freeze([
  'none',
  'error-503',
  'none',
  'reset-after-store',
  'none',
  'none',
  'rate-limit-burst',
]);

/**
 * How the emulated HubSpot misbehaves under each profile, as emulator fault settings. Every rate is listed
 * (zero where unused) and every profile sets `sequence`, because the emulator merges settings: switching from
 * `storm` to `calm` must turn each fault off and cancel what is left of storm's opening. `slowMs` is longer than
 * the demo's request timeout, so a slow answer is a timeout whose events were stored anyway — the client re-sends
 * and HubSpot says "already exists". A 429 pauses every sender for HubSpot's whole 10-second window, so 429s are
 * single and rare: they show pacing without stalling the demo.
 *
 * `storm` is harsh but converges at the default 100 events/s: about 29 % of requests fail, and it opens with a
 * scripted squall (a 503, a reset after HubSpot stored the events, then a 429) so the pause and the retries show
 * within seconds of choosing it, not whenever the dice allow. Measured with the default flags and network
 * schedule: the backlog peaks around 1,000 during a 429 pause or an outage and drains back to a few dozen,
 * over and over.
 */
export const FAULT_PROFILES: Readonly<Record<FaultProfileName, FaultOptions>> = Object.freeze({
  calm: { latencyMs: 5, jitterMs: 20, sequence: [], rates: { ...NO_FAULTS } },
  flaky: {
    latencyMs: 20,
    jitterMs: 80,
    slowMs: 2500,
    burstLength: 1,
    retryAfterSeconds: 1,
    sequence: [],
    rates: {
      ...NO_FAULTS,
      'error-500': 0.02,
      'error-502': 0.02,
      'error-503': 0.03,
      'error-504': 0.01,
      'reset-before-store': 0.02,
      'reset-after-store': 0.02,
      slow: 0.02,
      'rate-limit-burst': 0.008,
      'locked-423': 0.01,
    },
  },
  storm: {
    latencyMs: 40,
    jitterMs: 200,
    slowMs: 2500,
    burstLength: 1,
    retryAfterSeconds: 1,
    sequence: STORM_OPENING,
    rates: {
      ...NO_FAULTS,
      'error-500': 0.05,
      'error-502': 0.04,
      'error-503': 0.06,
      'error-504': 0.02,
      'reset-before-store': 0.03,
      'reset-after-store': 0.03,
      slow: 0.03,
      'rate-limit-burst': 0.01,
      'locked-423': 0.01,
      'migrating-477': 0.01,
    },
  },
});

/**
 * Whether a string names a fault profile.
 *
 * @param value - e.g. a CLI flag or a dashboard request
 */
export function isFaultProfileName(value: unknown): value is FaultProfileName {
  return typeof value === 'string' && (FAULT_PROFILE_NAMES as readonly string[]).includes(value);
}
