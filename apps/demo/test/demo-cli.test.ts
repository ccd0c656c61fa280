import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResultLine } from '../src/report/final-report.js';
import { callDashboard } from './call-dashboard.js';
import { type DemoProcess, runDemo } from './run-demo.js';

const running: DemoProcess[] = [];
const folders: string[] = [];

function tempDb(): string {
  const folder = mkdtempSync(join(tmpdir(), 'hubline-demo-'));
  folders.push(folder);
  return join(folder, 'demo.db');
}

afterEach(() => {
  for (const demo of running.splice(0)) demo.kill('SIGKILL');
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('pnpm demo', () => {
  it('delivers 2,000 events exactly once through flaky HubSpot and network drops, then exits 0 with a report', async () => {
    const demo = runDemo([
      '--events',
      '2000',
      '--faults',
      'flaky',
      '--no-dashboard',
      '--db',
      tempDb(),
      '--seed',
      '7',
    ]);
    running.push(demo);
    const code = await demo.exitWithin(100_000);
    const output = demo.output();
    expect(code, output).toBe(0);
    expect(output).toContain('Hubline demo: final report');
    const result = parseResultLine(output);
    expect(result, output).toBeDefined();
    expect(result).toMatchObject({
      target: 'emulator',
      faults: 'flaky',
      interrupted: false,
      recorded: 2000,
      goal: 2000,
      thisRun: { delivered: 2000, dead: 0 },
      outbox: { pending: 0, inFlight: 0, delivered: 2000, dead: 0 },
    });
    // The emulator's own count: every one of this run's ids stored once, none twice, nothing else stored.
    expect(result?.emulator).toMatchObject({
      eventsStored: 2000,
      uniqueIdsStored: 2000,
      idsStoredMoreThanOnce: 0,
      runIdsStoredExactlyOnce: 2000,
      runIdsMissing: 0,
    });
    // Flaky means something actually went wrong on the way, and the network really dropped (7 s up, 3 s down).
    expect(result?.emulator?.faultsInjected ?? 0).toBeGreaterThan(0);
    expect(result?.network.outages ?? 0).toBeGreaterThan(0);
    expect(result?.network.offlineMs ?? 0).toBeGreaterThan(1000);
    expect(output).toMatch(/^network {13}down \d+ times?, [\d.]+ s offline in total$/m);
  }, 120_000);

  // The network is cut by hand through the dashboard's API (no schedule to race with), and the stop arrives only
  // once a backlog is on disk: SIGTERM as a service manager sends it (to the node process alone), SIGINT as a
  // terminal's Ctrl-C on `pnpm demo` does (to every process of the foreground group, pnpm included).
  it.each([
    ['SIGTERM', 'node, the demo alone', 'node', 'SIGTERM: stopping the kiosks'],
    ['SIGINT', '`pnpm demo`, its whole process group', 'pnpm', 'SIGINT: stopping the kiosks'],
  ] as const)(
    'stops gracefully on %s sent to %s during an outage, exits 0, and a restart delivers the backlog it kept',
    async (signal, _to, via, announced) => {
      const db = tempDb();
      const first = runDemo(
        ['--faults', 'calm', '--no-drops', '--port', '0', '--db', db, '--seed', '2'],
        via,
      );
      running.push(first);
      const [, url] = await first.waitFor(/Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/, 60_000);
      const api = async (path: string, body?: unknown) => (await callDashboard(url!, path, body)).json;
      expect(await api('/api/network', { online: false })).toEqual({ online: false });
      await expect
        .poll(async () => (await api('/api/snapshot')).pending as number, { timeout: 20_000 })
        .toBeGreaterThan(50);
      if (signal === 'SIGINT') first.kill('SIGINT');
      else first.signal('SIGTERM');
      expect(await first.exitWithin(30_000), first.output()).toBe(0);
      expect(first.output()).toContain(announced);
      // pnpm passes the demo's 0 on: its script execs node, so no shell dies of the Ctrl-C in between.
      expect(first.output()).not.toMatch(/ELIFECYCLE/);
      expect(first.output()).not.toMatch(/stopped without draining/);
      expect(first.output()).toMatch(/waiting are sent on the next start/);
      const stopped = parseResultLine(first.output());
      expect(stopped?.interrupted).toBe(true);
      expect(stopped?.outbox.pending ?? 0, first.output()).toBeGreaterThan(50);

      const second = runDemo([
        '--events',
        '1',
        '--faults',
        'calm',
        '--no-drops',
        '--no-dashboard',
        '--db',
        db,
      ]);
      running.push(second);
      expect(await second.exitWithin(60_000), second.output()).toBe(0);
      expect(second.output()).toMatch(/resuming: \d+ events from an earlier run still to send/);
      const resumed = parseResultLine(second.output());
      expect(resumed?.outbox).toMatchObject({ pending: 0, inFlight: 0, dead: 0 });
      expect(resumed?.outbox.delivered).toBe((stopped?.recorded ?? 0) + 1);
      expect(resumed?.emulator?.eventsStored).toBe((stopped?.outbox.pending ?? 0) + 1);
    },
    120_000,
  );

  it('explains a bad flag and exits 2', async () => {
    const demo = runDemo(['--faults', 'hurricane']);
    running.push(demo);
    expect(await demo.exitWithin(30_000)).toBe(2);
    expect(demo.output()).toMatch(/--faults must be one of calm, flaky, storm/);
  }, 60_000);
});
