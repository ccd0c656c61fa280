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

/**
 * How the emulated HubSpot misbehaves under each profile, as emulator fault settings. Every rate is listed
 * (zero where unused) because the emulator merges rates key by key: switching from `storm` to `calm` must turn
 * each fault off. `slowMs` is longer than the demo's request timeout, so a slow answer is a timeout whose events
 * were stored anyway — the client re-sends and HubSpot says "already exists". A 429 pauses every sender for
 * HubSpot's whole 10-second window, and a burst answers `burstLength` requests in a row with 429, so bursts are
 * short and rare: they show pacing without stalling the demo.
 */
export const FAULT_PROFILES: Readonly<Record<FaultProfileName, FaultOptions>> = Object.freeze({
  calm: { latencyMs: 5, jitterMs: 20, rates: { ...NO_FAULTS } },
  flaky: {
    latencyMs: 20,
    jitterMs: 80,
    slowMs: 2500,
    burstLength: 1,
    retryAfterSeconds: 1,
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
    latencyMs: 60,
    jitterMs: 300,
    slowMs: 2500,
    burstLength: 2,
    retryAfterSeconds: 1,
    rates: {
      ...NO_FAULTS,
      'error-500': 0.08,
      'error-502': 0.06,
      'error-503': 0.1,
      'error-504': 0.04,
      'reset-before-store': 0.06,
      'reset-after-store': 0.06,
      slow: 0.05,
      'rate-limit-burst': 0.03,
      'locked-423': 0.02,
      'migrating-477': 0.02,
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
