import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';
import { fetchFailure, postBatch, refreshForm, send, visit } from './support/http.js';
import { recordSleeps } from './support/sleeps.js';

const refresh = (base: string) => send(`${base}/oauth/v1/token`, refreshForm('hubline-emulator-refresh'));

describe('token endpoint faults', () => {
  it('closes the connection, answers 500, 503 (JSON or HTML) or a captive portal 200, issuing no token', async () => {
    await using emu = await startEmulator({
      faults: {
        htmlBodyRate: 0,
        tokenSequence: ['token-reset', 'token-error-500', 'token-error-503', 'token-html-200', 'none'],
      },
    });
    expect(await fetchFailure(refresh(emu.url))).toMatch(/UND_ERR_SOCKET|ECONNRESET|other side closed/);
    const failed = await refresh(emu.url);
    expect([failed.status, failed.json?.category]).toEqual([500, 'INTERNAL_ERROR']);
    const unavailable = await refresh(emu.url);
    expect([unavailable.status, unavailable.json?.status]).toEqual([503, 'error']);
    const portal = await refresh(emu.url);
    expect(portal.status).toBe(200);
    expect(portal.headers.get('content-type')).toMatch(/^text\/html/);
    expect(portal.json).toBeUndefined();
    const ok = await refresh(emu.url);
    expect(ok.json?.access_token).toMatch(/^emu-at-/);
    expect(emu.requests().map((r) => [r.path, r.status, r.fault])).toEqual([
      ['/oauth/v1/token', null, 'token-reset'],
      ['/oauth/v1/token', 500, 'token-error-500'],
      ['/oauth/v1/token', 503, 'token-error-503'],
      ['/oauth/v1/token', 200, 'token-html-200'],
      ['/oauth/v1/token', 200, undefined],
    ]);
    expect(emu.counters()).toMatchObject({ faultsInjected: 4, resets: 1 });
  });

  it('hangs for hangMs without answering, then closes; stop() ends a hang at once', async () => {
    const timers = recordSleeps({ hold: true });
    const emu = await startEmulator({
      sleep: timers.sleep,
      faults: { tokenSequence: ['token-hang', 'token-hang'], hangMs: 45_000 },
    });
    const first = fetchFailure(refresh(emu.url));
    await expect.poll(() => timers.held()).toEqual([45_000]);
    timers.releaseAll();
    expect(await first).toMatch(/UND_ERR_SOCKET|ECONNRESET|other side closed/);
    const second = fetchFailure(refresh(emu.url));
    await expect.poll(() => timers.held()).toEqual([45_000]);
    await emu.stop();
    expect(await second).toMatch(/UND_ERR_SOCKET|ECONNRESET|other side closed/);
  });

  it('keeps token faults apart from API faults: neither queue nor stream touches the other', async () => {
    const run = async (tokensBetween: boolean) => {
      await using emu = await startEmulator({
        faults: {
          seed: 5,
          rates: { 'error-503': 0.3 },
          tokenRates: { 'token-error-500': 0.5 },
          htmlBodyRate: 0,
        },
      });
      const api: number[] = [];
      const token: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        api.push((await postBatch(emu.url, [visit(`e${i}`)])).status);
        if (tokensBetween) token.push((await refresh(emu.url)).status);
      }
      return { api, token };
    };
    const alone = await run(false);
    const mixed = await run(true);
    expect(mixed.api).toEqual(alone.api);
    expect(new Set(mixed.token)).toEqual(new Set([200, 500]));
    expect((await run(true)).token).toEqual(mixed.token);
  });

  it('refuses bad token fault settings, naming the field', async () => {
    await using emu = await startEmulator();
    expect(() => emu.setFaults({ tokenRates: { 'error-503': 0.1 } as never })).toThrow(
      /faults\.tokenRates\.error-503/,
    );
    expect(() => emu.setFaults({ tokenSequence: ['slow'] as never })).toThrow(/faults\.tokenSequence/);
    expect(() => emu.setFaults({ oversizedBytes: 0 })).toThrow(/faults\.oversizedBytes/);
    expect(() => emu.setFaults({ dripIntervalMs: 0 })).toThrow(/faults\.dripIntervalMs/);
  });
});
