/** A source of numbers in [0, 1), as `Math.random` is; injected wherever Hubline needs chance (jitter, ids). */
export type RandomSource = () => number;

/**
 * A small seeded PRNG (mulberry32): the same seed always gives the same sequence, so a jittered backoff, a
 * simulated device or a chaos run can be replayed exactly. Not for anything secret.
 *
 * @param seed - any integer; only its low 32 bits matter
 * @example
 * ```ts
 * const random = createSeededRandom(42);
 * backoffDelay(3, { random }); // the same delay on every run
 * ```
 */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
