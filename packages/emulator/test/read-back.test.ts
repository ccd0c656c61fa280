import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';
import { listOf, postBatch, send, visit } from './support/http.js';

const path = '/integrators/timeline/v3/events/1001234';

describe('read-back: GET /integrators/timeline/v3/events/{eventTemplateId}/{eventId}', () => {
  it('answers 200 with the event as the batch echoed it, and HubSpot’s JSON 404 when it is absent', async () => {
    await using emu = await startEmulator();
    const created = await postBatch(emu.url, [visit('a', { timestamp: '2026-11-29T11:00:00Z' })]);
    const read = await send(`${emu.url}${path}/a`);
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toMatch(/^application\/json/);
    expect(read.json).toEqual(listOf(created, 'results')[0]);
    const absent = await send(`${emu.url}${path}/b`);
    expect(absent.status).toBe(404);
    expect(absent.headers.get('content-type')).toMatch(/^application\/json/);
    expect(absent.json).toMatchObject({
      status: 'error',
      category: 'OBJECT_NOT_FOUND',
      context: { id: ['b'], eventTemplateId: ['1001234'] },
    });
  });

  it('takes an account’s token: 401 without one, 401 expired, 403 without a read scope', async () => {
    let now = 1_000;
    await using emu = await startEmulator({
      clock: () => now,
      auth: {
        tokens: [
          { token: 'hubline-emulator-token' },
          { token: 'reader', scopes: ['crm.objects.contacts.read'] },
          { token: 'writer-only', scopes: ['crm.objects.contacts.write'] },
          { token: 'short', expiresAt: 2_000 },
        ],
      },
    });
    await postBatch(emu.url, [visit('a')]);
    expect((await send(`${emu.url}${path}/a`, { bearer: null })).status).toBe(401);
    expect((await send(`${emu.url}${path}/a`, { bearer: 'reader' })).status).toBe(200);
    const forbidden = await send(`${emu.url}${path}/a`, { bearer: 'writer-only' });
    expect([forbidden.status, forbidden.json?.category]).toEqual([403, 'MISSING_SCOPES']);
    now = 2_000;
    const expired = await send(`${emu.url}${path}/a`, { bearer: 'short' });
    expect([expired.status, expired.json?.category]).toEqual([401, 'EXPIRED_AUTHENTICATION']);
  });

  it('spends the account’s rate budget and is answered 429 when it is gone', async () => {
    const now = 0;
    await using emu = await startEmulator({ clock: () => now, limits: { rateLimit: 2 } });
    await postBatch(emu.url, [visit('a')]);
    const read = await send(`${emu.url}${path}/a`);
    expect(read.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    const limited = await send(`${emu.url}${path}/a`);
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING' });
  });

  it('takes faults like the other routes: a 503, a reset, a hostile 2xx', async () => {
    await using emu = await startEmulator({
      faults: { htmlBodyRate: 0, sequence: ['none', 'error-503', 'reset-before-store', 'no-content-204'] },
    });
    await postBatch(emu.url, [visit('a')]);
    expect((await send(`${emu.url}${path}/a`)).status).toBe(503);
    await expect(send(`${emu.url}${path}/a`)).rejects.toThrow();
    expect((await send(`${emu.url}${path}/a`)).status).toBe(204);
    expect((await send(`${emu.url}${path}/a`)).status).toBe(200);
  });
});
