import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHublineError } from '../errors/hubline-error.js';
import { backoffDelay, createBackoff } from './backoff.js';

const justBelowOne = 1 - Number.EPSILON;

describe('backoffDelay', () => {
  it.each([
    // attempt, random, expected: uniform over [0, min(maxMs, baseMs · 2^attempt)] with the defaults 1 s / 5 min
    [0, 0, 0],
    [0, justBelowOne, 1000],
    [0, 0.5, 500],
    [1, justBelowOne, 2000],
    [3, 0.5, 4000],
    [8, justBelowOne, 256_000],
    [9, justBelowOne, 300_000],
    [50, justBelowOne, 300_000],
    [5000, justBelowOne, 300_000],
    [Number.POSITIVE_INFINITY, justBelowOne, 300_000],
    [-3, justBelowOne, 1000],
    [Number.NaN, justBelowOne, 1000],
    [2.9, justBelowOne, 4000],
  ])('attempt %d with random %d waits %d ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, { random: () => random })).toBe(expected);
  });

  it('uses the given base and cap', () => {
    expect(backoffDelay(2, { baseMs: 100, maxMs: 350, random: () => justBelowOne })).toBe(350);
    expect(backoffDelay(1, { baseMs: 100, maxMs: 350, random: () => justBelowOne })).toBe(200);
  });

  it('stays within [0, ceiling] even when the random source misbehaves', () => {
    expect(backoffDelay(0, { random: () => 1 })).toBe(1000);
    expect(backoffDelay(0, { random: () => 7 })).toBe(1000);
    expect(backoffDelay(0, { random: () => -1 })).toBe(0);
    expect(backoffDelay(0, { random: () => Number.NaN })).toBe(0);
  });

  it('gives whole milliseconds within the ceiling for any attempt and draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, draw) => {
          const delay = backoffDelay(attempt, { random: () => draw });
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.min(300_000, 1000 * 2 ** attempt));
        },
      ),
    );
  });

  it('spreads retries over the whole window (full jitter), not around its end', () => {
    let seed = 1;
    const lcg = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const delays = Array.from({ length: 2000 }, () => backoffDelay(4, { random: lcg }));
    expect(Math.min(...delays)).toBeLessThan(1600);
    expect(Math.max(...delays)).toBeGreaterThan(14_400);
    const mean = delays.reduce((sum, d) => sum + d, 0) / delays.length;
    expect(mean).toBeGreaterThan(7000);
    expect(mean).toBeLessThan(9000);
  });
});

describe('createBackoff', () => {
  it('returns a schedule with fixed options', () => {
    const backoff = createBackoff({ baseMs: 10, maxMs: 1000, random: () => 0.5 });
    expect([0, 1, 2, 3, 10].map(backoff)).toEqual([5, 10, 20, 40, 500]);
  });

  it.each([
    [{ baseMs: -1 }, 'baseMs'],
    [{ baseMs: Number.NaN }, 'baseMs'],
    [{ maxMs: Number.POSITIVE_INFINITY }, 'maxMs'],
  ])('refuses %j, naming the field', (options, field) => {
    let caught: unknown;
    try {
      createBackoff(options);
    } catch (error) {
      caught = error;
    }
    expect(isHublineError(caught, 'VALIDATION_FAILED')).toBe(true);
    expect((caught as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual([field]);
  });
});
