import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  const settings = { rateLimit: 3, rateWindowMs: 1000 };

  it('counts remaining budget down and refuses once the window is full', () => {
    const limiter = new RateLimiter();
    expect([0, 1, 2].map((t) => limiter.take('k', t, settings))).toEqual([
      { allowed: true, remaining: 2 },
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
    ]);
    expect(limiter.take('k', 3, settings)).toEqual({ allowed: false, policy: 'TEN_SECONDLY_ROLLING' });
  });

  it('rolls: a request leaves the window exactly rateWindowMs after it arrived', () => {
    const limiter = new RateLimiter();
    for (const t of [0, 500, 900]) limiter.take('k', t, settings);
    expect(limiter.take('k', 999, settings).allowed).toBe(false);
    expect(limiter.take('k', 1000, settings).allowed).toBe(true);
    expect(limiter.take('k', 1001, settings).allowed).toBe(false);
    expect(limiter.peek('k', 1500, settings).remaining).toBe(1);
  });

  it('does not spend budget on refused requests, and keeps keys apart', () => {
    const limiter = new RateLimiter();
    for (let t = 0; t < 10; t += 1) limiter.take('a', t, settings);
    expect(limiter.take('b', 10, settings)).toEqual({ allowed: true, remaining: 2 });
    expect(limiter.take('a', 1000, settings).allowed).toBe(true);
  });

  it('applies the daily limit per UTC day', () => {
    const limiter = new RateLimiter();
    const daily = { ...settings, dailyLimit: 2 };
    const day = 86_400_000;
    expect(limiter.take('k', day - 5000, daily)).toEqual({ allowed: true, remaining: 2, dailyRemaining: 1 });
    limiter.take('k', day - 3000, daily);
    expect(limiter.take('k', day - 1, daily)).toEqual({ allowed: false, policy: 'DAILY', dailyRemaining: 0 });
    expect(limiter.take('k', day, daily).allowed).toBe(true);
  });

  it('peeks at the budget left without spending it', () => {
    const limiter = new RateLimiter();
    const daily = { ...settings, dailyLimit: 5 };
    expect(limiter.peek('k', 0, daily)).toEqual({ remaining: 3, dailyRemaining: 5 });
    limiter.take('k', 0, daily);
    limiter.take('k', 1, daily);
    expect(limiter.peek('k', 2, daily)).toEqual({ remaining: 1, dailyRemaining: 3 });
    expect(limiter.peek('k', 2, daily)).toEqual({ remaining: 1, dailyRemaining: 3 });
    expect(limiter.peek('k', 86_400_000, daily).dailyRemaining).toBe(5);
    expect(limiter.peek('k', 2, settings).dailyRemaining).toBeUndefined();
  });
});
