import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';
import { postBatch, send, visit } from './support/http.js';

describe('rate limiting', () => {
  it('allows 100 requests per token in a rolling 10 s window, then answers 429 TEN_SECONDLY_ROLLING', async () => {
    let now = 0;
    await using emu = await startEmulator({ clock: () => now });
    for (let i = 0; i < 100; i += 1) {
      now = i * 10;
      const answer = await send(`${emu.url}/integrators/timeline/v3/events/1001234/x`);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('x-hubspot-ratelimit-remaining')).toBe(String(99 - i));
    }
    const limited = await send(`${emu.url}/integrators/timeline/v3/events/1001234/x`);
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect(limited.headers.get('x-hubspot-ratelimit-max')).toBe('100');
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    // The first request leaves the window at 10 000 ms after it: exactly one more fits.
    now = 10_000;
    expect((await send(`${emu.url}/integrators/timeline/v3/events/1001234/x`)).status).toBe(404);
    expect((await send(`${emu.url}/integrators/timeline/v3/events/1001234/x`)).status).toBe(429);
    now = 20_000;
    expect((await postBatch(emu.url, [visit('a')])).status).toBe(201);
    expect(emu.counters().rateLimited).toBe(2);
  });

  it('keeps a separate budget per access token', async () => {
    const now = 0;
    await using emu = await startEmulator({
      clock: () => now,
      limits: { rateLimit: 2 },
      auth: { tokens: [{ token: 't1' }, { token: 't2' }] },
    });
    expect((await postBatch(emu.url, [visit('a')], { bearer: 't1' })).status).toBe(201);
    expect((await postBatch(emu.url, [visit('b')], { bearer: 't1' })).status).toBe(201);
    expect((await postBatch(emu.url, [visit('c')], { bearer: 't1' })).status).toBe(429);
    expect((await postBatch(emu.url, [visit('c')], { bearer: 't2' })).status).toBe(201);
  });

  it('puts the rate-limit headers on every answer, errors included', async () => {
    await using emu = await startEmulator({ limits: { rateLimit: 7, rateWindowMs: 1000 } });
    for (const answer of [
      await postBatch(emu.url, [visit('a')]),
      await postBatch(emu.url, [visit('a')], { bearer: null }),
      await send(`${emu.url}/integrators/timeline/v3/events/batch/create`, { raw: '{' }),
    ]) {
      expect(answer.headers.get('x-hubspot-ratelimit-max')).toBe('7');
      expect(answer.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('1000');
      expect(answer.headers.get('x-hubspot-ratelimit-remaining')).toMatch(/^\d+$/);
    }
  });

  it('applies an optional DAILY policy with its own 429 and headers', async () => {
    let now = Date.parse('2026-11-29T23:59:00.000Z');
    await using emu = await startEmulator({ clock: () => now, limits: { dailyLimit: 2 } });
    const first = await postBatch(emu.url, [visit('a')]);
    expect(first.headers.get('x-hubspot-ratelimit-daily')).toBe('2');
    expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('1');
    await postBatch(emu.url, [visit('b')]);
    now += 20_000;
    const limited = await postBatch(emu.url, [visit('c')]);
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({
      policyName: 'DAILY',
      message: 'You have reached your daily limit.',
    });
    now = Date.parse('2026-11-30T00:00:01.000Z');
    expect((await postBatch(emu.url, [visit('c')])).status).toBe(201);
  });

  it('takes new limits at run time', async () => {
    const now = 0;
    await using emu = await startEmulator({ clock: () => now });
    emu.setLimits({ rateLimit: 1 });
    expect((await postBatch(emu.url, [visit('a')])).status).toBe(201);
    expect((await postBatch(emu.url, [visit('b')])).status).toBe(429);
    expect(() => emu.setLimits({ rateLimit: 0 })).toThrow(/limits\.rateLimit/);
  });
});
