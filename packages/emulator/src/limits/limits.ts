import type { ConflictMode, LimitsOptions, ResolvedLimits } from './limit-types.js';

const conflictModes: readonly ConflictMode[] = [
  '207-error',
  '409',
  '400-in-use',
  'silent-dedupe',
  'last-wins',
];

/** The limits in force when none are given. */
export const defaultLimits: ResolvedLimits = Object.freeze({
  maxBatchSize: 100,
  maxBodyBytes: 1_048_576,
  rateLimit: 100,
  rateWindowMs: 10_000,
  conflictMode: '207-error',
});

/** Merges `next` into `current`, naming the field at fault. */
export function mergeLimits(current: ResolvedLimits, next: LimitsOptions): ResolvedLimits {
  for (const key of ['maxBatchSize', 'maxBodyBytes', 'rateLimit', 'rateWindowMs', 'dailyLimit'] as const) {
    const value = next[key];
    if (value !== undefined && value !== null && !(Number.isInteger(value) && value > 0)) {
      throw new TypeError(`limits.${key}: must be a positive integer`);
    }
  }
  if (next.conflictMode !== undefined && !conflictModes.includes(next.conflictMode)) {
    throw new TypeError(`limits.conflictMode: one of ${conflictModes.join(', ')}`);
  }
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(next)) if (value !== undefined) merged[key] = value;
  if (next.dailyLimit === null) delete merged.dailyLimit;
  return merged as ResolvedLimits;
}
