import { faultKinds, startEmulator } from '@hubline/emulator';
import { describe, expect, it } from 'vitest';
import { FAULT_PROFILE_NAMES, FAULT_PROFILES, isFaultProfileName } from './fault-profiles.js';

const totalRate = (name: keyof typeof FAULT_PROFILES): number =>
  Object.values(FAULT_PROFILES[name].rates ?? {}).reduce((sum, rate) => sum + rate, 0);

describe('FAULT_PROFILES', () => {
  it('sets every fault kind, so switching profiles turns the previous faults off', () => {
    for (const name of FAULT_PROFILE_NAMES) {
      expect(Object.keys(FAULT_PROFILES[name].rates ?? {}).sort()).toEqual([...faultKinds].sort());
    }
  });

  it('goes from no faults (calm) to some (flaky) to many (storm), never more than one per request', () => {
    expect(totalRate('calm')).toBe(0);
    expect(totalRate('flaky')).toBeGreaterThan(0);
    expect(totalRate('storm')).toBeGreaterThan(totalRate('flaky'));
    expect(totalRate('storm')).toBeLessThanOrEqual(1);
  });

  it('is accepted by the emulator', async () => {
    await using emulator = await startEmulator();
    for (const name of FAULT_PROFILE_NAMES) {
      emulator.setFaults(FAULT_PROFILES[name]);
      expect(emulator.faults().rates).toEqual(FAULT_PROFILES[name].rates);
    }
  });

  it('recognises profile names', () => {
    expect(isFaultProfileName('storm')).toBe(true);
    expect(isFaultProfileName('hurricane')).toBe(false);
    expect(isFaultProfileName(undefined)).toBe(false);
  });
});
