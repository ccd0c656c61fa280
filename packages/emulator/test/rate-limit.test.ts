import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';
import { type Answer, batchPath, postBatch, refreshForm, send, visit } from './support/http.js';

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

  it('keeps a separate budget per account (the access tokens of two accounts)', async () => {
    const now = 0;
    await using emu = await startEmulator({
      clock: () => now,
      limits: { rateLimit: 2 },
      accounts: [
        { id: '1', tokens: [{ token: 't1' }] },
        { id: '2', tokens: [{ token: 't2' }] },
      ],
    });
    expect((await postBatch(emu.url, [visit('a')], { bearer: 't1' })).status).toBe(201);
    expect((await postBatch(emu.url, [visit('b')], { bearer: 't1' })).status).toBe(201);
    expect((await postBatch(emu.url, [visit('c')], { bearer: 't1' })).status).toBe(429);
    expect((await postBatch(emu.url, [visit('c')], { bearer: 't2' })).status).toBe(201);
  });

  it('puts the rate-limit headers on every answer, errors, faults, OAuth and unknown routes included', async () => {
    await using emu = await startEmulator({
      limits: { rateLimit: 70, rateWindowMs: 1000, maxBodyBytes: 3000 },
      faults: {
        htmlBodyRate: 0.5,
        sequence: ['error-500', 'error-502', 'error-503', 'error-504', 'locked-423', 'migrating-477'],
      },
    });
    const answers: [string, Answer][] = [];
    for (const status of ['500', '502', '503', '504', '423', '477']) {
      answers.push([status, await postBatch(emu.url, [visit('a')])]);
    }
    answers.push(
      ['201', await postBatch(emu.url, [visit('a')])],
      ['401', await postBatch(emu.url, [visit('a')], { bearer: null })],
      ['400', await send(`${emu.url}${batchPath}`, { raw: '{' })],
      ['413', await send(`${emu.url}${batchPath}`, { raw: `{"pad":"${'x'.repeat(4000)}"}` })],
      ['404', await send(`${emu.url}/integrators/timeline/v3/nothing`)],
      ['200', await send(`${emu.url}/oauth/v1/token`, refreshForm('hubline-emulator-refresh'))],
      ['400', await send(`${emu.url}/oauth/v1/token`, refreshForm('wrong'))],
    );
    for (const [status, answer] of answers) {
      expect(answer.status, status).toBe(Number(status));
      expect(answer.headers.get('x-hubspot-ratelimit-max'), status).toBe('70');
      expect(answer.headers.get('x-hubspot-ratelimit-interval-milliseconds'), status).toBe('1000');
      expect(answer.headers.get('x-hubspot-ratelimit-remaining'), status).toMatch(/^\d+$/);
    }
    // The control routes are not HubSpot's and carry none.
    const control = await send(`${emu.url}/__emulator/counters`);
    expect(control.headers.get('x-hubspot-ratelimit-max')).toBeNull();
  });

  it('reports the budget left on answers given before the rate limit is consulted', async () => {
    const now = 0;
    await using emu = await startEmulator({
      clock: () => now,
      limits: { rateLimit: 2, rateWindowMs: 10_000, maxBodyBytes: 3000, dailyLimit: 5 },
    });
    const remaining = (answer: Answer) => [
      answer.status,
      answer.headers.get('x-hubspot-ratelimit-remaining'),
      answer.headers.get('x-hubspot-ratelimit-daily-remaining'),
    ];
    const big = { raw: `{"pad":"${'x'.repeat(4000)}"}` };
    expect(remaining(await send(`${emu.url}${batchPath}`, big))).toEqual([413, '2', '5']);
    expect(remaining(await postBatch(emu.url, [visit('a')]))).toEqual([201, '1', '4']);
    expect(remaining(await send(`${emu.url}${batchPath}`, big))).toEqual([413, '1', '4']);
    expect(remaining(await postBatch(emu.url, [visit('b')]))).toEqual([201, '0', '3']);
    expect(remaining(await postBatch(emu.url, [visit('c')]))).toEqual([429, '0', '3']);
    expect(remaining(await send(`${emu.url}${batchPath}`, big))).toEqual([413, '0', '3']);
    expect(remaining(await send(`${emu.url}/integrators/timeline/v3/nothing`))).toEqual([404, '0', '3']);
    // Another bearer, or none, has its own (untouched) budget.
    expect(remaining(await send(`${emu.url}${batchPath}`, { ...big, bearer: null }))).toEqual([
      413,
      '2',
      '5',
    ]);
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
