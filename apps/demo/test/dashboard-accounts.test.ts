import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../src/dashboard/dashboard-server.js';
import { createDemo, type Demo } from '../src/demo/create-demo.js';
import { callDashboard } from './call-dashboard.js';

interface AccountRow {
  id: string;
  state: string;
  reason?: string;
  installed: boolean;
  throttled: boolean;
  pending: number;
  inFlight: number;
  delivered: number;
  dead: number;
}

describe('the dashboard with several HubSpot accounts', () => {
  let folder: string;
  let demo: Demo;
  let dashboard: Dashboard;

  const call = (path: string, body?: unknown) => callDashboard(dashboard.url, path, body);
  const accounts = async (): Promise<Record<string, AccountRow>> =>
    Object.fromEntries(
      ((await call('/api/accounts')).json.accounts as AccountRow[]).map((row) => [row.id, row]),
    );

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hubline-dashboard-accounts-'));
    demo = await createDemo({
      devices: 3,
      rate: 0.0001,
      faults: 'calm',
      db: join(folder, 'd.db'),
      drops: false,
      seed: 7,
      target: { kind: 'emulator' },
      sampleMs: 100,
    });
    dashboard = await startDashboard({ demo, port: 0 });
    demo.start();
  });

  afterAll(async () => {
    await dashboard?.close();
    await demo?.shutdown({ drainTimeoutMs: 2000 });
    rmSync(folder, { recursive: true, force: true });
  });

  it('spreads the kiosks’ events over three accounts, each delivered with its own install', async () => {
    const before = await accounts();
    expect(Object.keys(before)).toEqual(['101', '202', '303']);
    for (const row of Object.values(before)) expect(row).toMatchObject({ installed: true, throttled: false });
    expect((await call('/api/burst', { count: 30 })).json).toEqual({ recorded: 30 });
    await expect
      .poll(async () => Object.values(await accounts()).map((row) => row.delivered), { timeout: 10_000 })
      .toEqual([10, 10, 10]);
  });

  it('amends a dead letter and requeues it: HubSpot takes the corrected event, the original stays in its history', async () => {
    const id = (await call('/api/invalid', {})).json.id as string;
    await expect
      .poll(async () => ((await call('/api/dead')).json.dead as { id: string }[]).map((d) => d.id), {
        timeout: 10_000,
      })
      .toContain(id);

    // A correction the outbox refuses is a 400 naming the field; the dead letter stays dead.
    const refused = await call(`/api/dead/${id}/amend`, { patch: { eventTemplateId: '' } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('eventTemplateId');
    expect((await call(`/api/dead/${id}/amend`, { patch: 'seconds=60' })).status).toBe(400);
    expect((await call(`/api/events/${id}`)).json.status).toBe('dead');

    const fixed = await call(`/api/dead/${id}/amend`, { patch: { tokens: { page: '/oops', seconds: 60 } } });
    expect(fixed.json).toEqual({ requeued: 1 });
    await expect
      .poll(async () => (await call(`/api/events/${id}`)).json.status, { timeout: 10_000 })
      .toBe('delivered');
    const story = (await call(`/api/events/${id}`)).json;
    // The outbox keeps token values as HubSpot echoes them: strings.
    expect(story.event).toMatchObject({ tokens: { page: '/oops', seconds: '60' } });
    const types = (story.history as { event: { type: string } }[]).map((record) => record.event.type);
    expect(types.slice(types.indexOf('DeadLettered'))).toEqual([
      'DeadLettered',
      'Amended',
      'Requeued',
      'Claimed',
      'Delivered',
    ]);
    const amended = (story.history as { event: { type: string; previous?: { tokens?: unknown } } }[]).find(
      (record) => record.event.type === 'Amended',
    );
    expect(amended?.event.previous?.tokens).toEqual({ page: '/oops', seconds: 'about a minute' });
    // Only a dead letter can be amended.
    expect((await call(`/api/dead/${id}/amend`, { patch: { email: 'a@example.com' } })).status).toBe(404);
  });

  it('uninstalls the app from one account: its events wait as unauthorized, the others keep delivering, and a person may discard them', async () => {
    const before = await accounts();
    expect((await call('/api/accounts/202/uninstall', {})).json).toEqual({ revoked: 1 });
    expect((await call('/api/burst', { count: 30 })).json).toEqual({ recorded: 30 });
    await expect.poll(async () => (await accounts())['202']?.state, { timeout: 10_000 }).toBe('unauthorized');
    await expect
      .poll(
        async () => {
          const now = await accounts();
          return ['101', '303'].map((id) => now[id]!.delivered - before[id]!.delivered);
        },
        { timeout: 10_000 },
      )
      .toEqual([10, 10]);
    const uninstalled = (await accounts())['202']!;
    expect(uninstalled).toMatchObject({ installed: false, pending: 10, dead: 0 });
    expect(uninstalled.reason).toMatch(/refresh|install|401|unauthori/i);

    expect((await call('/api/accounts/202/discard', {})).json).toEqual({ discarded: 10 });
    expect((await accounts())['202']).toMatchObject({
      pending: 0,
      inFlight: 0,
      delivered: before['202']!.delivered,
    });
    expect((await call('/api/accounts/999/uninstall', {})).status).toBe(409);
  });

  it('has HubSpot throttle one account: it shows rate-limited while another keeps delivering', async () => {
    expect((await call('/api/accounts/303/throttle', { on: 'yes' })).status).toBe(400);
    expect((await call('/api/accounts/303/throttle', { on: true })).json).toEqual({ throttled: true });
    const before = await accounts();
    expect((await call('/api/burst', { count: 30 })).json).toEqual({ recorded: 30 });
    await expect.poll(async () => (await accounts())['303']?.state, { timeout: 10_000 }).toBe('rate-limited');
    await expect
      .poll(async () => (await accounts())['101']!.delivered - before['101']!.delivered, { timeout: 10_000 })
      .toBe(10);
    expect((await accounts())['303']).toMatchObject({ throttled: true, dead: 0 });
    expect((await call('/api/accounts/303/throttle', { on: false })).json).toEqual({ throttled: false });
  });
});
