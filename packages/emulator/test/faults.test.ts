import { describe, expect, it } from 'vitest';
import { type FaultKind, type FaultOptions, type RequestLogEntry, startEmulator } from '../src/index.js';
import { batchPath, fetchFailure, postBatch, send, token, visit } from './support/http.js';
import { recordSleeps } from './support/sleeps.js';

/** Sends `count` one-event batches one after another and records what each request met. */
async function run(url: string, count: number): Promise<(number | string)[]> {
  const seen: (number | string)[] = [];
  for (let i = 0; i < count; i += 1) {
    try {
      seen.push((await postBatch(url, [visit(`e${i}`)])).status);
    } catch {
      seen.push('reset');
    }
  }
  return seen;
}

const mixed = {
  'error-500': 0.05,
  'error-502': 0.05,
  'error-503': 0.05,
  'error-504': 0.05,
  'rate-limit-burst': 0.05,
  'locked-423': 0.05,
  'migrating-477': 0.05,
  'reset-before-store': 0.05,
  'reset-after-store': 0.05,
} satisfies Partial<Record<FaultKind, number>>;

describe('seeded faults', () => {
  it('replays the same faults for the same seed and request sequence', async () => {
    const outcomes: (number | string)[][] = [];
    const faults: RequestLogEntry['fault'][][] = [];
    for (const _ of [1, 2]) {
      await using emu = await startEmulator({ faults: { seed: 42, rates: mixed } });
      outcomes.push(await run(emu.url, 60));
      faults.push(emu.requests().map((r) => r.fault));
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(faults[0]).toEqual(faults[1]);
    // The mix really produced faults, of several kinds.
    expect(new Set(faults[0]?.filter(Boolean)).size).toBeGreaterThan(3);
  });

  it('produces a different sequence for another seed, and restarts the sequence on reset()', async () => {
    await using a = await startEmulator({ faults: { seed: 1, rates: mixed } });
    await using b = await startEmulator({ faults: { seed: 2, rates: mixed } });
    const first = await run(a.url, 40);
    expect(await run(b.url, 40)).not.toEqual(first);
    a.reset();
    expect(await run(a.url, 40)).toEqual(first);
  });

  it('keeps a queued fault for the next request that reaches the fault stage (not one refused before)', async () => {
    let now = 0;
    await using emu = await startEmulator({
      clock: () => now,
      limits: { rateLimit: 1, maxBodyBytes: 3000 },
      faults: { htmlBodyRate: 0 },
    });
    expect((await postBatch(emu.url, [visit('a')])).status).toBe(201);
    emu.setFaults({ sequence: ['error-503', 'locked-423'] });
    expect((await postBatch(emu.url, [visit('b')], { bearer: null })).status).toBe(401);
    expect((await postBatch(emu.url, [visit('b')])).status).toBe(429);
    const big = { raw: `{"pad":"${'x'.repeat(4000)}"}` };
    expect((await send(`${emu.url}${batchPath}`, big)).status).toBe(413);
    expect(emu.faults().sequence).toEqual(['error-503', 'locked-423']);
    now = 20_000;
    expect((await postBatch(emu.url, [visit('b')])).status).toBe(503);
    now = 40_000;
    expect((await postBatch(emu.url, [visit('b')])).status).toBe(423);
    expect(emu.requests().map((r) => r.fault)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      'error-503',
      'locked-423',
    ]);
    expect(emu.counters().faultsInjected).toBe(2);
  });

  it('draws no fault for requests refused before the fault stage, so they leave the seeded run unchanged', async () => {
    const faultsOf = async (refusedBetween: boolean) => {
      await using emu = await startEmulator({ faults: { seed: 9, rates: mixed } });
      for (let i = 0; i < 30; i += 1) {
        if (refusedBetween) await postBatch(emu.url, [visit(`x${i}`)], { bearer: null });
        try {
          await postBatch(emu.url, [visit(`e${i}`)]);
        } catch {
          // a reset fault
        }
      }
      return emu.requests().flatMap((r) => (r.auth === undefined ? [] : [r.fault ?? 'none']));
    };
    const plain = await faultsOf(false);
    expect(await faultsOf(true)).toEqual(plain);
    expect(plain.filter((f) => f !== 'none').length).toBeGreaterThan(3);
  });

  it('answers 500/502/503/504 faults without storing, some 5xx with a proxy HTML body', async () => {
    await using emu = await startEmulator({
      faults: { sequence: ['error-500', 'error-502', 'error-503', 'error-504'], htmlBodyRate: 0 },
    });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) {
      const answer = await postBatch(emu.url, [visit(`e${i}`)]);
      statuses.push(answer.status);
      expect(answer.json).toMatchObject({ status: 'error' });
    }
    expect(statuses).toEqual([500, 502, 503, 504]);
    expect(emu.events()).toHaveLength(0);
    emu.setFaults({ sequence: ['error-502'], htmlBodyRate: 1 });
    const html = await postBatch(emu.url, [visit('h')]);
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.json).toBeUndefined();
    expect(html.text).toContain('502 Bad Gateway');
  });

  it('sends a 429 burst of burstLength requests, counted as rate limited', async () => {
    await using emu = await startEmulator({ faults: { sequence: ['rate-limit-burst'], burstLength: 3 } });
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await postBatch(emu.url, [visit(`e${i}`)]));
    expect(answers.map((a) => a.status)).toEqual([429, 429, 429, 201]);
    expect(answers[0]?.json).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' });
    expect(answers[0]?.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(emu.counters().rateLimited).toBe(3);
  });

  it('answers 423 and 477 with Retry-After', async () => {
    await using emu = await startEmulator({
      faults: { sequence: ['locked-423', 'migrating-477'], retryAfterSeconds: 4 },
    });
    const locked = await postBatch(emu.url, [visit('a')]);
    expect(locked.status).toBe(423);
    expect(locked.headers.get('retry-after')).toBe('4');
    const migrating = await postBatch(emu.url, [visit('a')]);
    expect(migrating.status).toBe(477);
    expect(migrating.headers.get('retry-after')).toBe('4');
    expect(emu.events()).toHaveLength(0);
  });

  it('resets the connection before storing: the client sees an error and nothing is stored', async () => {
    await using emu = await startEmulator({ faults: { sequence: ['reset-before-store'] } });
    expect(await fetchFailure(postBatch(emu.url, [visit('a')]))).toMatch(/UND_ERR_SOCKET|ECONNRESET/);
    expect(emu.events()).toHaveLength(0);
    expect(emu.requests()[0]).toMatchObject({ status: null, fault: 'reset-before-store' });
    expect(emu.counters().resets).toBe(1);
  });

  it('resets the connection after storing: the client sees an error but the events are stored', async () => {
    await using emu = await startEmulator({ faults: { sequence: ['reset-after-store'] } });
    expect(await fetchFailure(postBatch(emu.url, [visit('a'), visit('b')]))).toMatch(
      /UND_ERR_SOCKET|ECONNRESET/,
    );
    expect(emu.events().map((e) => e.id)).toEqual(['a', 'b']);
    // The re-send after the unknown outcome meets the conflict rule.
    const again = await postBatch(emu.url, [visit('a'), visit('b')]);
    expect(again.status).toBe(207);
  });

  it('answers slower than the client waits, still storing the events when the delay ends', async () => {
    const timers = recordSleeps({ hold: true });
    await using emu = await startEmulator({
      sleep: timers.sleep,
      faults: { sequence: ['slow'], slowMs: 30_000 },
    });
    const client = new AbortController();
    const request = fetch(`${emu.url}${batchPath}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [visit('a')] }),
      signal: client.signal,
    });
    await expect.poll(() => timers.held()).toEqual([30_000]);
    client.abort();
    expect(await fetchFailure(request)).toBe('AbortError');
    expect(emu.events()).toHaveLength(0);
    timers.releaseAll();
    await expect.poll(() => emu.events().length).toBe(1);
    expect(emu.requests()[0]).toMatchObject({ fault: 'slow', stored: 1 });
  });

  it('delays every timeline request by latencyMs plus whole-millisecond jitter in [0, jitterMs)', async () => {
    const delays = async (faults: FaultOptions) => {
      const timers = recordSleeps();
      await using emu = await startEmulator({ sleep: timers.sleep, faults });
      for (let i = 0; i < 40; i += 1) await postBatch(emu.url, [visit(`e${i}`)]);
      // Refused requests wait too: latency comes before anything is judged.
      await postBatch(emu.url, [visit('x')], { bearer: null });
      expect(emu.requests()).toHaveLength(41);
      return timers.asked;
    };
    expect(await delays({ latencyMs: 60 })).toEqual(Array.from({ length: 41 }, () => 60));
    const jittered = await delays({ seed: 3, latencyMs: 60, jitterMs: 4 });
    expect(jittered).toHaveLength(41);
    // Both bounds are met and none is passed: exactly 60, 61, 62 and 63 occur.
    expect([...new Set(jittered)].sort()).toEqual([60, 61, 62, 63]);
    expect(await delays({ seed: 3, latencyMs: 60, jitterMs: 4 })).toEqual(jittered);
    expect(await delays({ seed: 4, latencyMs: 60, jitterMs: 4 })).not.toEqual(jittered);
    // No delay when there is no latency: the sleep is not even asked.
    expect(await delays({ seed: 3 })).toEqual([]);
  });

  it('replays the same jitter after reset(), and faults draw nothing from it', async () => {
    const timers = recordSleeps();
    await using emu = await startEmulator({
      sleep: timers.sleep,
      faults: { seed: 8, jitterMs: 1000, rates: { 'error-503': 0.5 }, htmlBodyRate: 0 },
    });
    for (let i = 0; i < 10; i += 1) await postBatch(emu.url, [visit(`e${i}`)]);
    const first = [...timers.asked];
    emu.reset();
    emu.setFaults({ rates: { 'error-503': 0 } });
    for (let i = 0; i < 10; i += 1) await postBatch(emu.url, [visit(`e${i}`)]);
    expect(timers.asked.slice(10)).toEqual(first);
  });

  it('with real timers: waits the latency, and stop() ends a pending 60 s slow answer promptly', async () => {
    const emu = await startEmulator({
      faults: { latencyMs: 30, sequence: ['none', 'slow'], slowMs: 60_000 },
    });
    await postBatch(emu.url, [visit('a')]);
    // Timers may fire up to 1 ms early when rounding; generous on the side that load can only lengthen.
    expect(emu.requests()[0]?.durationMs).toBeGreaterThanOrEqual(29);
    const pending = fetchFailure(postBatch(emu.url, [visit('b')]));
    await expect.poll(() => emu.requests().length).toBe(2);
    const t0 = Date.now();
    await emu.stop();
    expect(Date.now() - t0).toBeLessThan(5000);
    await pending;
    expect(emu.events().map((e) => e.id)).toEqual(['a']);
  });

  it('stops promptly even when an injected sleep never ends, aborting the signal it was given', async () => {
    const timers = recordSleeps({ hold: true });
    const emu = await startEmulator({ sleep: timers.sleep, faults: { sequence: ['slow'], slowMs: 60_000 } });
    const pending = fetchFailure(postBatch(emu.url, [visit('a')]));
    await expect.poll(() => timers.held()).toEqual([60_000]);
    expect(timers.signals[0]?.aborted).toBe(false);
    await emu.stop();
    expect(timers.signals[0]?.aborted).toBe(true);
    await pending;
    expect(emu.events()).toHaveLength(0);
  });

  it('refuses bad fault settings, naming the field', async () => {
    await using emu = await startEmulator();
    expect(() => emu.setFaults({ rates: { 'error-503': 2 } })).toThrow(/faults\.rates\.error-503/);
    expect(() => emu.setFaults({ rates: { nonsense: 0.1 } as never })).toThrow(/faults\.rates\.nonsense/);
    expect(() => emu.setFaults({ seed: 1.5 })).toThrow(/faults\.seed/);
  });
});

describe('offline', () => {
  it('refuses connections while offline and serves the same port again when back online', async () => {
    await using emu = await startEmulator();
    await postBatch(emu.url, [visit('a')]);
    await emu.setOnline(false);
    expect(emu.online).toBe(false);
    expect(await fetchFailure(postBatch(emu.url, [visit('b')]))).toBe('ECONNREFUSED');
    await emu.setOnline(true);
    expect((await postBatch(emu.url, [visit('b')])).status).toBe(201);
    expect(emu.events().map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('stops cleanly while offline', async () => {
    const emu = await startEmulator();
    await emu.setOnline(false);
    await emu.stop();
    await emu.stop();
    expect(await fetchFailure(fetch(`${emu.controlUrl}/__emulator/health`))).toBe('ECONNREFUSED');
  });

  it('can start offline, and is switched through the control listener while the API port refuses', async () => {
    const timers = recordSleeps({ hold: true });
    await using emu = await startEmulator({ online: false, sleep: timers.sleep });
    expect(await fetchFailure(postBatch(emu.url, [visit('a')]))).toBe('ECONNREFUSED');
    const on = await send(`${emu.controlUrl}/__emulator/online`, { body: { online: true } });
    expect(on.json).toEqual({ online: true });
    expect((await postBatch(emu.url, [visit('a')])).status).toBe(201);
    // Going offline through the API port itself still gets its answer.
    const off = await send(`${emu.url}/__emulator/online`, { body: { online: false, forMs: 1500 } });
    expect(off.json).toEqual({ online: false });
    expect(timers.held()).toEqual([1500]);
    expect(await fetchFailure(postBatch(emu.url, [visit('b')]))).toBe('ECONNREFUSED');
    expect(emu.online).toBe(false);
    timers.releaseAll();
    await expect.poll(() => emu.online).toBe(true);
    expect((await postBatch(emu.url, [visit('b')])).status).toBe(201);
  });
});
