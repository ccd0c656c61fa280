import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';
import { postBatch, send, visit } from './support/http.js';

describe('control routes', () => {
  it('lists stored events, filtered and paged', async () => {
    await using emu = await startEmulator();
    await postBatch(emu.url, [
      visit('a'),
      visit('b'),
      { eventTemplateId: '1001236', id: 'c', email: 'a@b.co', tokens: {} },
    ]);
    const all = await send(`${emu.url}/__emulator/events`, { bearer: null });
    expect(all.json?.total).toBe(3);
    const visits = await send(`${emu.controlUrl}/__emulator/events?eventTemplateId=1001234&offset=1&limit=5`);
    expect(visits.json).toMatchObject({ total: 2, events: [{ id: 'b' }] });
    expect((await send(`${emu.url}/__emulator/events?limit=-1`)).status).toBe(400);
  });

  it('shows the request log and counters, and does not count its own requests', async () => {
    await using emu = await startEmulator({ faults: { sequence: ['error-503'], htmlBodyRate: 0 } });
    await postBatch(emu.url, [visit('a')]);
    await postBatch(emu.url, [visit('a')]);
    const log = await send(`${emu.url}/__emulator/requests?limit=1`);
    expect(log.json?.requests).toEqual([
      expect.objectContaining({ seq: 2, method: 'POST', status: 201, inputs: 1, stored: 1 }),
    ]);
    const counters = await send(`${emu.url}/__emulator/counters`);
    expect(counters.json).toMatchObject({
      requests: 2,
      eventsStored: 1,
      faultsInjected: 1,
      byStatus: { 201: 1, 503: 1 },
    });
  });

  it('logs and counts requests to unknown routes, but never the control routes', async () => {
    await using emu = await startEmulator();
    const missing = await send(`${emu.url}/integrators/timeline/v3/nothing?x=1`);
    expect(missing.status).toBe(404);
    await send(`${emu.url}/crm/v3/objects/contacts`, { method: 'POST', body: {} });
    await send(`${emu.url}/__emulator/counters`);
    await send(`${emu.url}/__emulator/no-such-control-route`);
    expect(emu.requests().map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/integrators/timeline/v3/nothing', 404],
      ['POST', '/crm/v3/objects/contacts', 404],
    ]);
    expect(emu.counters()).toMatchObject({ requests: 2, byStatus: { 404: 2 } });
  });

  it('resets events, log and counters', async () => {
    await using emu = await startEmulator();
    await postBatch(emu.url, [visit('a')]);
    expect((await send(`${emu.url}/__emulator/reset`, { method: 'POST' })).status).toBe(200);
    expect(emu.events()).toEqual([]);
    expect(emu.requests()).toEqual([]);
    expect(emu.counters().requests).toBe(0);
    expect((await postBatch(emu.url, [visit('a')])).status).toBe(201);
  });

  it('changes faults and limits at run time, refusing bad values with 400 naming the field', async () => {
    await using emu = await startEmulator();
    const faults = await send(`${emu.url}/__emulator/faults`, { body: { sequence: ['locked-423'] } });
    expect(faults.json).toMatchObject({ sequence: ['locked-423'] });
    expect((await postBatch(emu.url, [visit('a')])).status).toBe(423);
    const limits = await send(`${emu.url}/__emulator/limits`, { body: { maxBatchSize: 1 } });
    expect(limits.json).toMatchObject({ maxBatchSize: 1 });
    expect((await postBatch(emu.url, [visit('a'), visit('b')])).status).toBe(400);
    const bad = await send(`${emu.url}/__emulator/limits`, { body: { conflictMode: 'maybe' } });
    expect(bad.status).toBe(400);
    expect(bad.json?.message).toMatch(/limits\.conflictMode/);
    expect((await send(`${emu.url}/__emulator/faults`, { raw: '{' })).status).toBe(400);
    expect((await send(`${emu.url}/__emulator/limits`)).json).toMatchObject({
      maxBatchSize: 1,
      rateLimit: 100,
    });
  });

  it('issues tokens, lists templates and routes, and reports health', async () => {
    await using emu = await startEmulator({ clock: () => 1000 });
    const issued = await send(`${emu.url}/__emulator/tokens`, { body: { ttlMs: 5000 } });
    expect(issued.status).toBe(201);
    expect(issued.json?.expiresAt).toBe(6000);
    expect(
      (await postBatch(emu.url, [visit('a')], { bearer: issued.json?.accessToken as string })).status,
    ).toBe(201);
    const templates = await send(`${emu.url}/__emulator/templates`);
    expect(templates.json?.templates).toContainEqual(expect.objectContaining({ id: '1001234' }));
    expect((await send(`${emu.url}/__emulator`)).json?.routes).toHaveProperty(['POST /__emulator/online']);
    expect((await send(`${emu.controlUrl}/__emulator/health`)).json).toEqual({
      ok: true,
      online: true,
      url: emu.url,
      controlUrl: emu.controlUrl,
    });
  });
});
