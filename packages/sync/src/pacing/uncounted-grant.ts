import type { RateGrant } from '../contracts.js';

/** A grant that counts nothing: what a budget without pacing hands out, and what stands in for a budget's missing one. */
export const UNCOUNTED_GRANT: RateGrant = { use() {}, release() {} };
