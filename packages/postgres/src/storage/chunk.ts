/**
 * How many entries a cold path (eviction, clock-step absorption, requeue of all dead letters, prune) reads and
 * writes at a time: memory stays flat however many there are.
 */
export const CHUNK = 1000;
