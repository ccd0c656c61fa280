import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAccessToken, startEmulator } from '@hubline/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../src/dashboard/dashboard-server.js';
import { createDemo, type Demo } from '../src/demo/create-demo.js';
import { callDashboard } from './call-dashboard.js';

describe('the dashboard API', () => {
  let folder: string;
  let demo: Demo;
  let dashboard: Dashboard;

  const call = (path: string, body?: unknown) => callDashboard(dashboard.url, path, body);

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hubline-dashboard-api-'));
    demo = await createDemo({
      devices: 2,
      rate: 0.0001,
      faults: 'calm',
      db: join(folder, 'd.db'),
      drops: false,
      seed: 1,
      target: { kind: 'emulator' },
      sampleMs: 100,
    });
    dashboard = await startDashboard({ demo, port: 0 });
    demo.start();
  });

  afterAll(async () => {
    await dashboard?.close();
    await demo?.shutdown({ drainTimeoutMs: 5000 });
    rmSync(folder, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and serves the page, its script and uPlot', async () => {
    expect(new URL(dashboard.url).hostname).toBe('127.0.0.1');
    for (const [path, type] of [
      ['/', 'text/html'],
      ['/dashboard.js', 'text/javascript'],
      ['/vendor/uPlot.iife.min.js', 'text/javascript'],
      ['/vendor/uPlot.min.css', 'text/css'],
    ] as const) {
      const response = await fetch(new URL(path, dashboard.url));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toContain(type);
    }
  });

  it('streams snapshots as server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(new URL('/api/stream', dashboard.url), { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    while ((text.match(/event: snapshot/g) ?? []).length < 2) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const first = text.split('\n').find((line) => line.startsWith('data: '));
    expect(JSON.parse(first!.slice(6))).toMatchObject({ target: 'emulator', online: true, faults: 'calm' });
  });

  it('serves an empty favicon instead of a 404', async () => {
    const response = await fetch(new URL('/favicon.ico', dashboard.url));
    expect(response.status).toBe(204);
  });

  it('cuts and restores the network, saying so in words', async () => {
    expect((await call('/api/network', { online: false })).json).toEqual({ online: false });
    expect((await call('/api/snapshot')).json.online).toBe(false);
    await expect
      .poll(async () => (await call('/api/snapshot')).json.status, { timeout: 5000 })
      .toMatchObject({
        state: 'offline',
        reason: 'the network is down; new events wait in the outbox on disk',
      });
    expect((await call('/api/network', { online: true })).json).toEqual({ online: true });
    expect((await call('/api/network', { online: 'yes' })).status).toBe(400);
  });

  it('refuses to go back to an outage schedule this demo does not have (--no-drops)', async () => {
    const answer = await call('/api/network', { schedule: true });
    expect(answer.status).toBe(409);
    expect(answer.json.message).toMatch(/--no-drops/);
    expect((await call('/api/snapshot')).json.scheduleAvailable).toBe(false);
  });

  it('pauses and resumes the kiosks, refusing a body without a boolean', async () => {
    expect((await call('/api/snapshot')).json.recording).toBe(true);
    expect((await call('/api/recording', { on: false })).json).toEqual({ recording: false });
    expect((await call('/api/snapshot')).json.recording).toBe(false);
    expect((await call('/api/recording', { on: true })).json).toEqual({ recording: true });
    expect((await call('/api/recording', { on: 'no' })).status).toBe(400);
    expect((await call('/api/snapshot')).json.recording).toBe(true);
  });

  it('switches the fault profile, refusing unknown ones', async () => {
    expect((await call('/api/faults', { profile: 'storm' })).json).toEqual({ profile: 'storm' });
    expect((await call('/api/snapshot')).json.faults).toBe('storm');
    expect((await call('/api/faults', { profile: 'calm' })).status).toBe(200);
    expect((await call('/api/faults', { profile: 'hurricane' })).status).toBe(400);
  });

  it('records a burst, bounded', async () => {
    expect((await call('/api/burst', { count: 25 })).json).toEqual({ recorded: 25 });
    expect((await call('/api/burst', { count: 1_000_000 })).status).toBe(400);
  });

  it("shows the engine's delivery rate rising with a burst, then back to 0 once nothing is left to send", async () => {
    expect((await call('/api/burst', { count: 40 })).json).toEqual({ recorded: 40 });
    const rate = async () => (await call('/api/snapshot')).json.deliveryRate as number;
    await expect.poll(rate, { timeout: 5000, interval: 50 }).toBeGreaterThan(0);
    await expect.poll(rate, { timeout: 10_000, interval: 100 }).toBe(0);
  });

  it('lists recent ids to start a search from: the newest, then about one a second before it', async () => {
    const recent = (await call('/api/recent?limit=5')).json.recent as {
      id: string;
      status: string;
      at: number;
    }[];
    expect(recent.length).toBeGreaterThan(0);
    recent.slice(1).forEach((event, index) => {
      expect(recent[index]!.at - event.at).toBeGreaterThanOrEqual(1000);
    });
    expect((await call(`/api/events/${recent[0]!.id}`)).status).toBe(200);
  });

  it("lists a refused event as a dead letter with HubSpot's reason, shows its history, and requeues it", async () => {
    const { json } = await call('/api/invalid', {});
    const id = json.id as string;
    await expect
      .poll(
        async () => ((await call('/api/dead')).json.dead as { id: string }[]).map((letter) => letter.id),
        {
          timeout: 10_000,
        },
      )
      .toContain(id);
    const dead = (
      (await call('/api/dead')).json.dead as { id: string; reason: string; sends: number; attempts: number }[]
    ).find((d) => d.id === id);
    expect(dead?.reason).toMatch(/seconds/);
    // Refused at once: it used no attempt, but it was sent once, and that is what the dashboard says.
    expect(dead).toMatchObject({ attempts: 0, sends: 1 });
    const story = await call(`/api/events/${id}`);
    expect(story.json.status).toBe('dead');
    expect(story.json.sends).toBe(1);
    expect(story.json.headline).toMatch(/^dead letter: sent 1×, refused by HubSpot: .*seconds/);
    expect((story.json.history as { detail: string }[]).map((step) => step.detail)).toEqual([
      expect.stringMatching(/^stored in the outbox on the kiosk \(\d+ bytes\)$/),
      'picked up by the engine to send',
      expect.stringMatching(/^refused by HubSpot: VALIDATION_ERROR: .*seconds/),
    ]);
    expect((story.json.history as { event: { type: string } }[]).map((record) => record.event.type)).toEqual([
      'Recorded',
      'Claimed',
      'DeadLettered',
    ]);
    expect((await call('/api/requeue', { ids: [id] })).json).toEqual({ requeued: 1 });
    expect((await call(`/api/events/${id}`)).json.history).toContainEqual(
      expect.objectContaining({ event: expect.objectContaining({ type: 'Requeued' }) }),
    );
  });

  it('moves to a free port when the asked-for one is taken', async () => {
    const taken = Number(new URL(dashboard.url).port);
    const second = await startDashboard({ demo, port: taken });
    try {
      expect(Number(new URL(second.url).port)).not.toBe(taken);
      expect((await fetch(new URL('/api/info', second.url))).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('answers 404 for an unknown event id', async () => {
    expect((await call('/api/events/01NOPE')).status).toBe(404);
  });
});

describe('the dashboard API with an outage schedule', () => {
  it('hands the network back to the schedule after a person took it over', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'hubline-dashboard-schedule-'));
    // Long phases, so the schedule cannot move on its own during the test: up first, then down.
    const demo = await createDemo({
      devices: 1,
      rate: 0.0001,
      faults: 'calm',
      db: join(folder, 'd.db'),
      drops: true,
      phases: [
        { online: true, ms: 600_000 },
        { online: false, ms: 600_000 },
      ],
      seed: 1,
      target: { kind: 'emulator' },
    });
    const dashboard = await startDashboard({ demo, port: 0 });
    const post = async (body: unknown) => (await callDashboard(dashboard.url, '/api/network', body)).json;
    try {
      demo.start();
      expect(demo.snapshot()).toMatchObject({ online: true, scheduledDrops: true, scheduleAvailable: true });
      expect(await post({ online: false })).toEqual({ online: false });
      expect(demo.snapshot()).toMatchObject({
        online: false,
        scheduledDrops: false,
        scheduleAvailable: true,
      });
      expect(await post({ schedule: true })).toEqual({ online: true, scheduledDrops: true });
      expect(demo.snapshot()).toMatchObject({ online: true, scheduledDrops: true });
    } finally {
      await dashboard.close();
      await demo.shutdown({ drainTimeoutMs: 2000 });
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the dashboard API against real HubSpot', () => {
  it('says fault injection is off, refuses to switch profiles, and still lets the network be cut', async () => {
    await using hubspot = await startEmulator();
    const folder = mkdtempSync(join(tmpdir(), 'hubline-dashboard-hubspot-'));
    const demo = await createDemo({
      devices: 1,
      rate: 0.0001,
      faults: 'storm',
      db: join(folder, 'd.db'),
      drops: true,
      seed: 1,
      target: {
        kind: 'hubspot',
        baseUrl: hubspot.url,
        eventTemplateId: '1001234',
        credentials: { type: 'access-token', accessToken: defaultAccessToken },
      },
    });
    const dashboard = await startDashboard({ demo, port: 0 });
    try {
      const info = (await callDashboard(dashboard.url, '/api/info')).json;
      expect(info).toMatchObject({ target: 'hubspot', controls: { network: true, faults: false } });
      expect(info.note).toMatch(/fault injection is off/);
      const faults = await callDashboard(dashboard.url, '/api/faults', { profile: 'calm' });
      expect(faults.status).toBe(409);
      expect(demo.snapshot().faults).toBeNull();
      await demo.setNetwork(false);
      expect(demo.snapshot().online).toBe(false);
      expect(hubspot.online).toBe(true);
    } finally {
      await dashboard.close();
      await demo.shutdown({ drainTimeoutMs: 2000 });
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
