import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@hubline/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResultLine } from '../src/report/final-report.js';
import { type DemoProcess, runDemo } from './run-demo.js';

const SECRET = 'pat-na1-demo-secret-0123456789';
const running: DemoProcess[] = [];
const folders: string[] = [];

afterEach(() => {
  for (const demo of running.splice(0)) demo.kill('SIGKILL');
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('pnpm demo with HubSpot credentials in the environment', () => {
  it('sends to that API with the token, and never prints or stores it', async () => {
    // Stands in for api.hubapi.com: it only accepts the secret token.
    await using hubspot = await startEmulator({ auth: { tokens: [{ token: SECRET, label: 'the user' }] } });
    const folder = mkdtempSync(join(tmpdir(), 'hubline-demo-hubspot-'));
    folders.push(folder);
    const demo = runDemo(
      ['--events', '30', '--rate', '30', '--no-dashboard', '--db', join(folder, 'd.db')],
      'node',
      {
        HUBSPOT_ACCESS_TOKEN: SECRET,
        HUBSPOT_EVENT_TEMPLATE_ID: '1001234',
        HUBSPOT_BASE_URL: hubspot.url,
      },
    );
    running.push(demo);
    expect(await demo.exitWithin(60_000), demo.output()).toBe(0);
    const result = parseResultLine(demo.output());
    expect(result).toMatchObject({
      target: 'hubspot',
      faults: null,
      emulator: null,
      thisRun: { delivered: 30 },
    });
    const stored = hubspot.events();
    expect(stored).toHaveLength(30);
    expect(new Set(stored.map((event) => event.eventTemplateId))).toEqual(new Set(['1001234']));
    expect(demo.output()).toContain(`Sending to: the HubSpot API at ${hubspot.url}`);
    expect(demo.output()).not.toContain(SECRET);
    for (const file of readdirSync(folder)) {
      expect(readFileSync(join(folder, file)).includes(SECRET), file).toBe(false);
    }
  }, 90_000);

  it('refuses a half-configured environment, naming what is missing', async () => {
    const demo = runDemo(['--no-dashboard'], 'node', { HUBSPOT_ACCESS_TOKEN: SECRET });
    running.push(demo);
    expect(await demo.exitWithin(30_000)).toBe(2);
    expect(demo.output()).toContain('HUBSPOT_EVENT_TEMPLATE_ID is required');
    expect(demo.output()).not.toContain(SECRET);
  }, 60_000);
});
