/**
 * The kiosk service as systemd runs it: a real process, a real outbox file, the emulator standing in for HubSpot
 * over loopback HTTP, OAuth refresh-token credentials, and SIGTERM to stop it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultOAuthClient, startEmulator } from '@hubline/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { startKioskProcess } from './kiosk-process.js';

const DRAIN_TIMEOUT_MS = 5000;
/** Node, tsx and the sources start slowly on a loaded machine. */
const START_MS = 30_000;
const CHECK_IN_TEMPLATE = '1001235';
const SCAN_TEMPLATE = '1001237';
const REFRESH_TOKEN = defaultOAuthClient.refreshTokens[0] ?? '';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('kiosk service', () => {
  it('drains what it recorded on SIGTERM, mid-request, exactly once, and re-sends nothing on restart', async () => {
    // Each answer takes 400 ms: the signal lands while a batch is on the wire, with more recorded behind it.
    await using emulator = await startEmulator({ faults: { latencyMs: 400 } });
    const dir = mkdtempSync(path.join(tmpdir(), 'hubline-kiosk-'));
    dirs.push(dir);
    const env = {
      HUBLINE_OUTBOX_PATH: path.join(dir, 'outbox.db'),
      HUBSPOT_BASE_URL: emulator.url,
      HUBSPOT_CLIENT_ID: defaultOAuthClient.clientId,
      HUBSPOT_CLIENT_SECRET: defaultOAuthClient.clientSecret,
      HUBSPOT_REFRESH_TOKEN: REFRESH_TOKEN,
      KIOSK_CHECK_IN_TEMPLATE_ID: CHECK_IN_TEMPLATE,
      KIOSK_SCAN_TEMPLATE_ID: SCAN_TEMPLATE,
      KIOSK_PORT: '0',
      KIOSK_DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
    };

    await using first = startKioskProcess(env);
    const ready = await first.waitForLine((line) => line.msg === 'kiosk service ready', START_MS);
    const url = String(ready.url);
    const answers = [await post(`${url}/check-ins`, { companyId: '512', location: 'Front desk', guests: 2 })];
    // The first check-in is on the wire (for 400 ms); what the screen records now is left for the drain.
    await first.waitForLine((line) => line.msg === 'delivery status' && line.state === 'sending', 10_000);
    answers.push(
      await post(`${url}/scans`, { email: 'ana@example.com', code: 'TICKET-42' }),
      await post(`${url}/check-ins`, { id: 'screen-7-0001', companyId: '513', location: 'Lobby' }),
      await post(`${url}/check-ins`, { id: 'screen-7-0001', companyId: '513', location: 'Lobby' }), // a retry
    );
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202]);
    const ids = [...new Set(answers.map((answer) => String(answer.body.id)))];
    expect(ids).toHaveLength(3);
    expect(await post(`${url}/scans`, { email: 'not an address', code: 'X' })).toEqual({
      status: 400,
      body: { issues: [{ path: 'email', message: 'must be a valid email address' }] },
    });

    const signalledAt = performance.now();
    first.child.kill('SIGTERM');
    expect(await first.exitWithin(DRAIN_TIMEOUT_MS + 10_000)).toBe(0);
    expect(performance.now() - signalledAt).toBeLessThan(DRAIN_TIMEOUT_MS);

    const stored = emulator.events();
    expect(stored.map((event) => event.id).sort()).toEqual([...ids].sort());
    expect(emulator.counters().duplicateIdsSeen).toBe(0);
    expect(stored.find((event) => event.id === 'screen-7-0001')).toMatchObject({
      eventTemplateId: CHECK_IN_TEMPLATE,
      objectId: '513',
      tokens: { location: 'Lobby', method: 'kiosk' },
    });
    expect(first.lines().find((line) => line.msg === 'stopped')).toMatchObject({
      drainTimedOut: false,
      pending: 0,
      delivered: 3,
    });
    const states = first.lines().flatMap((line) => (line.msg === 'delivery status' ? [line.state] : []));
    expect(states.at(-1)).toBe('stopped');

    const batchesBefore = emulator.requests().filter((request) => request.path.includes('/events')).length;
    await using second = startKioskProcess(env);
    expect(await second.waitForLine((line) => line.msg === 'kiosk service ready', START_MS)).toMatchObject({
      pending: 0,
      delivered: 3,
    });
    second.child.kill('SIGTERM');
    expect(await second.exitWithin(DRAIN_TIMEOUT_MS + 10_000)).toBe(0);
    expect(emulator.requests().filter((request) => request.path.includes('/events'))).toHaveLength(
      batchesBefore,
    );
    expect(emulator.events()).toHaveLength(3);

    for (const secret of [defaultOAuthClient.clientSecret, REFRESH_TOKEN]) {
      expect(first.output() + second.output()).not.toContain(secret);
    }
  }, 120_000);
});
