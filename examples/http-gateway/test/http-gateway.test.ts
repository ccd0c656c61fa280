/**
 * The gateway over real HTTP, with the emulator behind it standing in for HubSpot: what clients are answered,
 * what reaches the outbox, and what reaches HubSpot.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { defaultAccessToken, type RunningEmulator, startEmulator } from '@hubline/emulator';
import { openOutbox } from '@hubline/outbox';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../src/config.js';
import { type RunningGateway, startGateway } from '../src/start-gateway.js';

const WEB_KEY = randomBytes(24).toString('base64url');
const IOS_KEY = randomBytes(24).toString('base64url');
const VISIT = '1001234';
const SCAN = '1001237';
const ORIGIN = 'https://shop.example.com';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configFor(emulator: RunningEmulator, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  const dir = mkdtempSync(path.join(tmpdir(), 'hubline-gateway-'));
  dirs.push(dir);
  return {
    outboxPath: path.join(dir, 'outbox.db'),
    baseUrl: emulator.url,
    hubspot: { type: 'access-token', accessToken: defaultAccessToken },
    clientKeys: { 'web-shop': WEB_KEY, 'ios-app': IOS_KEY },
    templateIds: [VISIT, SCAN],
    allowedOrigins: [ORIGIN],
    listen: { host: '127.0.0.1', port: 0 },
    maxBodyBytes: 64 * 1024,
    drainTimeoutMs: 5000,
    ...overrides,
  };
}

/** POST /events as a client does. */
async function postEvents(
  gateway: RunningGateway,
  body: unknown,
  headers: Record<string, string> = { 'x-api-key': WEB_KEY },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const visit = (id: string, page = '/pricing') => ({
  id,
  eventTemplateId: VISIT,
  email: 'ana@example.com',
  tokens: { page, seconds: 42 },
});

/** Everything the outbox holds, delivered or not. */
function recorded(gateway: RunningGateway): number {
  const { pending, inFlight, delivered, dead } = gateway.outbox.stats();
  return pending + inFlight + delivered + dead;
}

describe('http gateway', () => {
  it('records one event or an array, answers 202 with the ids, and delivers them to HubSpot', async () => {
    await using emulator = await startEmulator();
    await using gateway = await startGateway(configFor(emulator));

    const one = await postEvents(gateway, visit('web-0001'));
    expect(one).toEqual({ status: 202, body: { ids: ['web-0001'] } });
    const many = await postEvents(
      gateway,
      [
        visit('ios-0001', '/cart'),
        { eventTemplateId: SCAN, email: 'bo@example.com', tokens: { code: 'T-9' } },
      ],
      { 'x-api-key': IOS_KEY },
    );
    expect(many.status).toBe(202);
    const ids = [...(one.body.ids as string[]), ...(many.body.ids as string[])];
    expect(ids).toHaveLength(3);
    expect(ids[1]).toBe('ios-0001');

    await Promise.all(ids.map((id) => gateway.sync.whenDelivered(id)));
    expect(emulator.events().map((event) => event.id)).toEqual(ids);
    expect(emulator.events()[1]).toMatchObject({ tokens: { page: '/cart', seconds: '42' } });
  });

  it('refuses a bad event with 400 naming the field, and records nothing of its request', async () => {
    await using emulator = await startEmulator();
    await using gateway = await startGateway(configFor(emulator));

    const badEmail = await postEvents(gateway, [
      visit('ok-1'),
      { ...visit('bad-1'), email: 'not-an-address' },
    ]);
    expect(badEmail).toEqual({
      status: 400,
      body: {
        error: 'VALIDATION_FAILED',
        issues: [{ path: '[1].email', message: 'must be a valid email address' }],
      },
    });
    const otherTemplate = await postEvents(gateway, { ...visit('t-1'), eventTemplateId: '999' });
    expect(otherTemplate.body.issues).toEqual([
      { path: 'eventTemplateId', message: 'is not a template this gateway records' },
    ]);
    const account = await postEvents(gateway, { ...visit('a-1'), account: 'someone-else' });
    expect(account.body.issues).toEqual([
      { path: 'account', message: 'is set by the gateway, not by clients' },
    ]);
    const typo = await postEvents(gateway, { ...visit('typo-1'), token: {} });
    expect(typo).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'token', message: 'is not a known field (did you mean "tokens"?)' }] },
    });
    const tooMany = Array.from({ length: 101 }, (_, index) => visit(`many-${index}`));
    for (const count of [[], tooMany])
      expect(await postEvents(gateway, count)).toMatchObject({
        status: 400,
        body: { issues: [{ path: '', message: 'must hold 1 to 100 events' }] },
      });
    expect((await postEvents(gateway, '{"id": ')).status).toBe(400);

    expect(recorded(gateway)).toBe(0);
    await gateway.sync.flush();
    expect(emulator.requests().filter((request) => request.path.includes('/events'))).toEqual([]);
  });

  it("accepts a replay of the client's id and HubSpot stores the event once; other content under it is 409", async () => {
    await using emulator = await startEmulator();
    await using gateway = await startGateway(configFor(emulator));

    expect(await postEvents(gateway, visit('order-77'))).toEqual({
      status: 202,
      body: { ids: ['order-77'] },
    });
    // The client lost the answer and sends again, before and after delivery.
    expect(await postEvents(gateway, visit('order-77'))).toEqual({
      status: 202,
      body: { ids: ['order-77'] },
    });
    await gateway.sync.whenDelivered('order-77');
    expect(await postEvents(gateway, [visit('order-77')])).toEqual({
      status: 202,
      body: { ids: ['order-77'] },
    });
    await gateway.sync.flush();

    expect(emulator.events().filter((event) => event.id === 'order-77')).toHaveLength(1);
    expect(emulator.counters().duplicateIdsSeen).toBe(0);
    expect(gateway.outbox.stats()).toMatchObject({ pending: 0, delivered: 1 });
    const changed = await postEvents(gateway, visit('order-77', '/refund'));
    expect(changed).toMatchObject({ status: 409, body: { error: 'ID_CONFLICT' } });
  });

  it('answers 401 without a known API key, and records nothing', async () => {
    await using emulator = await startEmulator();
    await using gateway = await startGateway(configFor(emulator));

    const wrong = `${WEB_KEY.slice(0, -1)}${WEB_KEY.endsWith('A') ? 'B' : 'A'}`;
    const attempts: Record<string, string>[] = [
      {},
      { 'x-api-key': wrong },
      { 'x-api-key': '' },
      { authorization: `Bearer ${WEB_KEY}` },
    ];
    for (const headers of attempts) {
      expect(await postEvents(gateway, visit('sneaky-1'), headers)).toMatchObject({
        status: 401,
        body: { error: 'UNAUTHORIZED' },
      });
    }
    // Never a HubSpot token either: the gateway's own credentials are the only ones that reach HubSpot.
    expect((await postEvents(gateway, visit('sneaky-2'), { 'x-api-key': defaultAccessToken })).status).toBe(
      401,
    );
    expect(recorded(gateway)).toBe(0);
  });

  it('answers 415 to a body that is not declared JSON and 413 past the body cap', async () => {
    await using emulator = await startEmulator();
    await using gateway = await startGateway(configFor(emulator, { maxBodyBytes: 4096 }));

    const text = await fetch(`${gateway.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-api-key': WEB_KEY },
      body: JSON.stringify(visit('plain-1')),
    });
    expect(text.status).toBe(415);
    const big = await postEvents(gateway, { ...visit('big-1'), extraData: { note: 'x'.repeat(5000) } });
    expect(big.status).toBe(413);
    expect(recorded(gateway)).toBe(0);
  });

  it('answers 503 with Retry-After once GATEWAY_MAX_PENDING events wait for HubSpot', async () => {
    await using emulator = await startEmulator({ online: false });
    await using gateway = await startGateway(configFor(emulator, { maxPending: 2, drainTimeoutMs: 0 }));

    expect((await postEvents(gateway, [visit('wait-1'), visit('wait-2')])).status).toBe(202);
    const full = await fetch(`${gateway.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': WEB_KEY },
      body: JSON.stringify(visit('wait-3')),
    });
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('60');
    expect(await full.json()).toEqual({ error: 'CAPACITY_EXCEEDED' });
    expect(gateway.outbox.stats().pending).toBe(2);
  });

  it('lets pages of the allowed origins call it from a browser, and no others', async () => {
    await using emulator = await startEmulator();
    await using gateway = await startGateway(configFor(emulator));

    const preflight = (origin: string) =>
      fetch(`${gateway.url}/events`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'x-api-key',
        },
      });
    const allowed = await preflight(ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-api-key');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('stops gracefully: delivers what it accepted, then refuses connections and closes the outbox', async () => {
    // Each answer takes 300 ms, so the stop begins with the batch still to send.
    await using emulator = await startEmulator({ faults: { latencyMs: 300 } });
    const config = configFor(emulator);
    const gateway = await startGateway(config);

    const accepted = await postEvents(gateway, [visit('late-1'), visit('late-2')]);
    expect(accepted.status).toBe(202);
    expect(await gateway.stop()).toEqual({ timedOut: false });

    expect(emulator.events().map((event) => event.id)).toEqual(['late-1', 'late-2']);
    await expect(fetch(`${gateway.url}/health`)).rejects.toThrow();
    expect(() => gateway.outbox.stats()).toThrow(expect.objectContaining({ code: 'OUTBOX_CLOSED' }));
    using reopened = openOutbox({ path: config.outboxPath });
    expect(reopened.stats()).toMatchObject({ pending: 0, inFlight: 0, delivered: 2 });
  });
});
