import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@hubline/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResultLine } from '../src/report/final-report.js';
import { type DemoProcess, runDemo } from './run-demo.js';

const SECRET = 'pat-na1-demo-secret-0123456789';
const CLIENT_ID = 'demo-kiosk-app';
const CLIENT_SECRET = 'client-secret-5f1e0c9a7b';
const REFRESH_TOKEN = 'refresh-token-na1-3c7d1e2f';
const running: DemoProcess[] = [];
const folders: string[] = [];

afterEach(() => {
  for (const demo of running.splice(0)) demo.kill('SIGKILL');
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Run `pnpm demo` (node directly) with its outbox in a fresh temp folder and no dashboard. */
function runWithCredentials(
  flags: readonly string[],
  env: Readonly<Record<string, string>>,
): { demo: DemoProcess; folder: string } {
  const folder = mkdtempSync(join(tmpdir(), 'hubline-demo-hubspot-'));
  folders.push(folder);
  const demo = runDemo([...flags, '--no-dashboard', '--db', join(folder, 'd.db')], 'node', env);
  running.push(demo);
  return { demo, folder };
}

/** No secret in what the demo printed, nor in any file it left in its folder. */
function expectNoSecrets(demo: DemoProcess, folder: string, secrets: readonly string[]): void {
  for (const secret of secrets) expect(demo.output()).not.toContain(secret);
  for (const file of readdirSync(folder)) {
    const bytes = readFileSync(join(folder, file));
    for (const secret of secrets) expect(bytes.includes(secret), `${secret} in ${file}`).toBe(false);
  }
}

describe('pnpm demo with HubSpot credentials in the environment', () => {
  it('sends to that API with the token, and never prints or stores it', async () => {
    // Stands in for api.hubapi.com: it only accepts the secret token.
    await using hubspot = await startEmulator({ auth: { tokens: [{ token: SECRET, label: 'the user' }] } });
    const { demo, folder } = runWithCredentials(['--events', '30', '--rate', '30'], {
      HUBSPOT_ACCESS_TOKEN: SECRET,
      HUBSPOT_EVENT_TEMPLATE_ID: '1001234',
      HUBSPOT_BASE_URL: hubspot.url,
    });
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
    expectNoSecrets(demo, folder, [SECRET]);
  }, 90_000);

  it('obtains and refreshes access tokens from refresh-token credentials, and never prints or stores a secret', async () => {
    // Stands in for api.hubapi.com and its OAuth server: no static token is accepted, only the access tokens its
    // /oauth/v1/token route issues for this client, and they live 4 s, so the demo has to refresh during the run.
    await using hubspot = await startEmulator({
      auth: {
        tokens: [],
        clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshTokens: [REFRESH_TOKEN] }],
        accessTokenTtlMs: 4000,
      },
    });
    const { demo, folder } = runWithCredentials(['--events', '90', '--rate', '15'], {
      HUBSPOT_CLIENT_ID: CLIENT_ID,
      HUBSPOT_CLIENT_SECRET: CLIENT_SECRET,
      HUBSPOT_REFRESH_TOKEN: REFRESH_TOKEN,
      HUBSPOT_EVENT_TEMPLATE_ID: '1001234',
      HUBSPOT_BASE_URL: hubspot.url,
    });
    expect(await demo.exitWithin(60_000), demo.output()).toBe(0);
    expect(parseResultLine(demo.output())).toMatchObject({
      target: 'hubspot',
      thisRun: { delivered: 90, dead: 0 },
      outbox: { pending: 0, inFlight: 0, delivered: 90 },
    });
    expect(demo.output()).toContain('(refresh-token credentials from the environment)');
    const stored = hubspot.events();
    expect(stored).toHaveLength(90);
    expect(new Set(stored.map((event) => event.id)).size).toBe(90);

    // Tokens came from the OAuth route (more than one: the first expired during the run), and every event was
    // sent with one of them.
    const log = hubspot.requests();
    const tokenRequests = log.filter((entry) => entry.path === '/oauth/v1/token');
    expect(tokenRequests.length).toBeGreaterThanOrEqual(2);
    expect(tokenRequests.every((entry) => entry.status === 200)).toBe(true);
    const sends = log.filter((entry) => entry.path.startsWith('/integrators/timeline/'));
    expect(sends.length).toBeGreaterThan(0);
    expect(sends.every((entry) => entry.auth === `oauth-${CLIENT_ID}`)).toBe(true);

    // No secret anywhere: not the client secret, not the refresh token, not an access token (the emulator's all
    // start with emu-at-).
    expectNoSecrets(demo, folder, [CLIENT_SECRET, REFRESH_TOKEN, 'emu-at-']);
  }, 90_000);

  it('refuses a half-configured environment, naming what is missing', async () => {
    const demo = runDemo(['--no-dashboard'], 'node', { HUBSPOT_ACCESS_TOKEN: SECRET });
    running.push(demo);
    expect(await demo.exitWithin(30_000)).toBe(2);
    expect(demo.output()).toContain('HUBSPOT_EVENT_TEMPLATE_ID is required');
    expect(demo.output()).not.toContain(SECRET);
  }, 60_000);
});
