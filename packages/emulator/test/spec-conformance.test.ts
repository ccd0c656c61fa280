import { describe, expect, it } from 'vitest';
import { defaultDeveloper, startEmulator } from '../src/index.js';
import { type Answer, batchPath, form, postBatch, refreshForm, send, visit } from './support/http.js';
import { type HubSpotSpecFile, schemaValidator } from './support/hubspot-spec.js';

interface Case {
  readonly name: string;
  readonly answer: Answer;
  readonly file: HubSpotSpecFile;
  readonly schema: string;
}

const v3 = 'timeline-v3.openapi.json';
const app = 'timeline-2026-03.openapi.json';
const oauth = 'oauth-v1.openapi.json';
const occurrences = '/integrators/timeline/2026-03/events/batch';

/** Every case's body is JSON valid against its schema, and its status is the one its name starts with. */
function expectConformant(cases: readonly Case[]): void {
  const failures: string[] = [];
  for (const c of cases) {
    expect(c.answer.json, `${c.name} must be JSON: ${c.answer.text.slice(0, 80)}`).toBeDefined();
    const problems = schemaValidator(c.file, c.schema)(c.answer.json);
    if (problems.length > 0)
      failures.push(`${c.name} (${c.answer.status}) vs ${c.schema}: ${problems.join('; ')}`);
  }
  expect(failures).toEqual([]);
  // Each case produced the status its name promises, so none silently tested something else.
  for (const c of cases) {
    const code = /^\d{3}/.exec(c.name)?.[0];
    if (code !== undefined) expect(c.answer.status, c.name).toBe(Number(code));
  }
}

/** Collects cases. */
function collector(cases: Case[]) {
  return (name: string, answer: Answer, file: HubSpotSpecFile, schema: string) =>
    cases.push({ name, answer, file, schema });
}

describe('response bodies against HubSpot specs', () => {
  it('sends only bodies that validate against the published schemas', async () => {
    let now = Date.parse('2026-11-29T12:00:00.000Z');
    await using emu = await startEmulator({
      clock: () => now,
      limits: { maxBatchSize: 5, maxBodyBytes: 4000, rateLimit: 1000, dailyLimit: 1000 },
      auth: {
        tokens: [
          { token: 'hubline-emulator-token' },
          { token: 'expired', expiresAt: now - 1 },
          { token: 'read-only', scopes: ['crm.objects.contacts.read'] },
          { token: 'limited' },
        ],
      },
    });
    const full = {
      eventTemplateId: '1001234',
      id: 'full',
      email: 'ana@example.com',
      objectId: '51',
      utk: 'utk-1',
      domain: 'example.com',
      customObjectTypeId: '2-123',
      timestamp: '2026-11-29T11:00Z',
      tokens: { page: '/p', seconds: 3 },
      extraData: { nested: { deep: [1, 2] } },
      timelineIFrame: {
        linkLabel: 'l',
        headerLabel: 'h',
        url: 'https://example.com',
        width: 600,
        height: 400,
      },
    };
    const cases: Case[] = [];
    const add = (name: string, answer: Answer, file: HubSpotSpecFile, schema: string) =>
      cases.push({ name, answer, file, schema });

    add('201 batch', await postBatch(emu.url, [full, visit('a')]), v3, 'BatchResponseTimelineEventResponse');
    add(
      '207 batch',
      await postBatch(emu.url, [
        visit('a'),
        visit('b', { tokens: { x: '1' } }),
        visit('c', { eventTemplateId: '0' }),
      ]),
      v3,
      'BatchResponseTimelineEventResponseWithErrors',
    );
    add(
      '201 single',
      await send(`${emu.url}/integrators/timeline/v3/events`, { body: visit('s') }),
      v3,
      'TimelineEventResponse',
    );
    add(
      '200 read',
      await send(`${emu.url}/integrators/timeline/v3/events/1001234/full`),
      v3,
      'TimelineEventResponse',
    );
    add('404 read', await send(`${emu.url}/integrators/timeline/v3/events/1001234/none`), v3, 'Error');
    add(
      '404 template',
      await send(`${emu.url}/integrators/timeline/v3/events`, { body: visit('t', { eventTemplateId: '0' }) }),
      v3,
      'Error',
    );
    add(
      '400 single',
      await send(`${emu.url}/integrators/timeline/v3/events`, {
        body: visit('t', { tokens: { seconds: 'x' } }),
      }),
      v3,
      'Error',
    );
    add(
      '409 single',
      await send(`${emu.url}/integrators/timeline/v3/events`, { body: visit('s') }),
      v3,
      'Error',
    );
    add('400 malformed', await send(`${emu.url}${batchPath}`, { raw: '{"inputs":' }), v3, 'Error');
    add('400 no inputs', await send(`${emu.url}${batchPath}`, { body: { input: [] } }), v3, 'Error');
    add('400 unbuildable', await postBatch(emu.url, [{ id: 'x' }]), v3, 'Error');
    add(
      '400 batch cap',
      await postBatch(
        emu.url,
        ['1', '2', '3', '4', '5', '6'].map((id) => visit(id)),
      ),
      v3,
      'Error',
    );
    add(
      '413',
      await send(`${emu.url}${batchPath}`, {
        body: { inputs: [visit('big', { extraData: { pad: 'x'.repeat(5000) } })] },
      }),
      v3,
      'Error',
    );
    add(
      '415',
      await send(`${emu.url}${batchPath}`, { raw: 'x', headers: { 'content-type': 'text/csv' } }),
      v3,
      'Error',
    );
    add(
      '415 text/plain',
      await send(`${emu.url}${batchPath}`, {
        raw: JSON.stringify({ inputs: [visit('p')] }),
        headers: { 'content-type': 'text/plain' },
      }),
      v3,
      'Error',
    );
    add(
      '413 text/plain',
      await send(`${emu.url}${batchPath}`, {
        raw: 'x'.repeat(5000),
        headers: { 'content-type': 'text/plain' },
      }),
      v3,
      'Error',
    );
    add('401 none', await postBatch(emu.url, [visit('x')], { bearer: null }), v3, 'Error');
    add('401 expired', await postBatch(emu.url, [visit('x')], { bearer: 'expired' }), v3, 'Error');
    add('403', await postBatch(emu.url, [visit('x')], { bearer: 'read-only' }), v3, 'Error');
    add('404 route', await send(`${emu.url}/integrators/timeline/v3/nothing`), v3, 'Error');
    emu.setLimits({ conflictMode: '409' });
    add('409 batch', await postBatch(emu.url, [visit('a')]), v3, 'Error');
    emu.setLimits({ conflictMode: '400-in-use' });
    add('400 in use', await postBatch(emu.url, [visit('a')]), v3, 'Error');
    emu.setLimits({ conflictMode: 'silent-dedupe' });
    add('201 dedupe', await postBatch(emu.url, [visit('a')]), v3, 'BatchResponseTimelineEventResponse');
    emu.setLimits({ conflictMode: 'last-wins' });
    add('201 last-wins', await postBatch(emu.url, [visit('a')]), v3, 'BatchResponseTimelineEventResponse');
    add(
      '201 last-wins single',
      await send(`${emu.url}/integrators/timeline/v3/events`, { body: visit('s') }),
      v3,
      'TimelineEventResponse',
    );

    emu.setFaults({
      htmlBodyRate: 0,
      sequence: [
        'error-500',
        'error-502',
        'error-503',
        'error-504',
        'locked-423',
        'migrating-477',
        'rate-limit-burst',
      ],
      burstLength: 1,
    });
    for (const name of ['500', '502', '503', '504', '423', '477', '429 burst']) {
      add(name, await postBatch(emu.url, [visit('f')]), v3, 'Error');
    }
    emu.setLimits({ rateLimit: 1 });
    await postBatch(emu.url, [visit('r1')], { bearer: 'limited' });
    add('429 rolling', await postBatch(emu.url, [visit('r2')], { bearer: 'limited' }), v3, 'Error');
    emu.setLimits({ rateLimit: 1000, dailyLimit: 1 });
    now += 60_000;
    add('429 daily', await postBatch(emu.url, [visit('r3')], { bearer: 'limited' }), v3, 'Error');
    emu.setLimits({ dailyLimit: null });

    const occurrence = { eventTypeName: 'visit', id: 'o1', email: 'a@b.co', properties: { page: '/' } };
    add(
      '200 occurrences',
      await send(`${emu.url}${occurrences}`, { body: { inputs: [occurrence] } }),
      app,
      'BatchResponseAppEventOccurrence',
    );
    add(
      '409 occurrences',
      await send(`${emu.url}${occurrences}`, { body: { inputs: [occurrence] } }),
      app,
      'Error',
    );
    add(
      '400 occurrences',
      await send(`${emu.url}${occurrences}`, {
        body: { inputs: [{ ...occurrence, id: 'o2', eventTypeName: 'nope' }] },
      }),
      app,
      'Error',
    );

    add(
      '200 token',
      await send(`${emu.url}/oauth/v1/token`, refreshForm('hubline-emulator-refresh')),
      oauth,
      'TokenResponseIF',
    );
    add('400 token', await send(`${emu.url}/oauth/v1/token`, refreshForm('wrong')), oauth, 'Error');

    expectConformant(cases);
  });

  it('sends HubSpot-shaped bodies for the batch answers that prove nothing or too little', async () => {
    await using emu = await startEmulator({
      faults: {
        sequence: [
          'batch-pending',
          'batch-processing-delayed',
          'batch-canceled',
          'results-missing',
          'results-unsent-ids',
          'unattributed-exists',
          'unattributed-invalid',
          'error-json-200',
          'batch-pending',
          'batch-canceled',
          'results-unsent-ids',
        ],
      },
    });
    const cases: Case[] = [];
    const add = collector(cases);
    const batch = 'BatchResponseTimelineEventResponse';
    const withErrors = 'BatchResponseTimelineEventResponseWithErrors';
    add('201 pending', await postBatch(emu.url, [visit('p1')]), v3, batch);
    add('201 processing, delayed', await postBatch(emu.url, [visit('p2')]), v3, batch);
    add('201 canceled', await postBatch(emu.url, [visit('p3')]), v3, batch);
    add('201 results missing', await postBatch(emu.url, [visit('m1'), visit('m2')]), v3, batch);
    add('201 unsent ids', await postBatch(emu.url, [visit('u1'), visit('u2')]), v3, batch);
    add('207 unattributed exists', await postBatch(emu.url, [visit('x1'), visit('x2')]), v3, withErrors);
    add('207 unattributed invalid', await postBatch(emu.url, [visit('i1'), visit('i2')]), v3, withErrors);
    add('200 error object', await postBatch(emu.url, [visit('e1')]), v3, 'Error');
    const occurrence = (id: string) => ({ eventTypeName: 'visit', id, email: 'a@b.co', properties: {} });
    const post2026 = (id: string) => send(`${emu.url}${occurrences}`, { body: { inputs: [occurrence(id)] } });
    add('200 pending occurrences', await post2026('o1'), app, 'BatchResponseAppEventOccurrence');
    add('200 canceled occurrences', await post2026('o2'), app, 'BatchResponseAppEventOccurrence');
    add('200 unsent occurrences', await post2026('o3'), app, 'BatchResponseAppEventOccurrence');
    expectConformant(cases);
  });

  it('sends HubSpot-shaped bodies on the template, OAuth and account routes', async () => {
    let now = Date.parse('2026-11-29T12:00:00.000Z');
    const client = { clientId: 'app', clientSecret: 'secret', refreshTokens: ['legacy-refresh'] };
    await using emu = await startEmulator({
      clock: () => now,
      auth: { clients: [client], tokens: [{ token: 'writer', scopes: ['crm.objects.contacts.write'] }] },
      accounts: [{ id: '321', installs: [{ refreshToken: 'rt-321' }], limits: { dailyLimit: 1 } }],
      faults: { htmlBodyRate: 0 },
    });
    const cases: Case[] = [];
    const add = collector(cases);
    const templates = `${emu.url}/integrators/timeline/v3/${emu.appId}/event-templates`;
    const key = `hapikey=${defaultDeveloper.apiKey}`;
    const dev = (path: string, init: Parameters<typeof send>[1] = {}) =>
      send(`${templates}${path}?${key}`, { bearer: null, ...init });
    add('200 template list', await dev(''), v3, 'CollectionResponseTimelineEventTemplateNoPaging');
    const token = { name: 'tier', label: 'Tier', type: 'enumeration', options: [{ value: 'a', label: 'A' }] };
    add(
      '201 template created',
      await dev('', { body: { name: 'n', objectType: 'contacts', tokens: [token] } }),
      v3,
      'TimelineEventTemplate',
    );
    add('200 template', await dev('/1001238'), v3, 'TimelineEventTemplate');
    add(
      '200 template replaced',
      await dev('/1001238', { method: 'PUT', body: { id: '1001238', name: 'm', tokens: [token] } }),
      v3,
      'TimelineEventTemplate',
    );
    add(
      '200 token added',
      await dev('/1001238/tokens', { body: { name: 'n', label: 'N', type: 'number', options: [] } }),
      v3,
      'TimelineEventTemplateToken',
    );
    add(
      '200 token changed',
      await dev('/1001238/tokens/tier', {
        method: 'PUT',
        body: { label: 'T', options: [{ value: 'b', label: 'B' }] },
      }),
      v3,
      'TimelineEventTemplateToken',
    );
    add('400 template', await dev('', { body: { objectType: 'contacts', tokens: [] } }), v3, 'Error');
    add('404 template', await dev('/9'), v3, 'Error');
    add('401 developer key', await send(templates, { bearer: null }), v3, 'Error');
    add(
      '404 app',
      await send(`${emu.url}/integrators/timeline/v3/1/event-templates?${key}`, { bearer: null }),
      v3,
      'Error',
    );

    const grant = (fields: Record<string, string>) =>
      send(`${emu.url}/oauth/v1/token`, form({ client_id: 'app', client_secret: 'secret', ...fields }));
    const { code } = emu.authorize('321');
    const installed = await grant({ grant_type: 'authorization_code', code });
    add('200 code exchange', installed, oauth, 'TokenResponseIF');
    const rotated = await grant({ grant_type: 'refresh_token', refresh_token: 'rt-321' });
    add('200 rotated refresh', rotated, oauth, 'TokenResponseIF');
    add('400 auth code', await grant({ grant_type: 'authorization_code', code }), oauth, 'Error');
    const access = rotated.json?.access_token as string;
    add(
      '200 access token info',
      await send(`${emu.url}/oauth/v1/access-tokens/${access}`, { bearer: null }),
      oauth,
      'AccessTokenInfoResponse',
    );
    add(
      '200 refresh token info',
      await send(`${emu.url}/oauth/v1/refresh-tokens/${rotated.json?.refresh_token as string}`, {
        bearer: null,
      }),
      oauth,
      'RefreshTokenInfoResponse',
    );
    add(
      '404 access token info',
      await send(`${emu.url}/oauth/v1/access-tokens/nope`, { bearer: null }),
      oauth,
      'Error',
    );
    add(
      '201 account batch',
      await postBatch(emu.url, [visit('a')], { bearer: access }),
      v3,
      'BatchResponseTimelineEventResponse',
    );
    now += 1000;
    add('429 account daily', await postBatch(emu.url, [visit('b')], { bearer: access }), v3, 'Error');
    add(
      '403 read scope',
      await send(`${emu.url}/integrators/timeline/v3/events/1001234/a`, { bearer: 'writer' }),
      v3,
      'Error',
    );
    emu.revokeInstalls('321');
    add(
      '400 revoked refresh',
      await grant({ grant_type: 'refresh_token', refresh_token: 'rt-321' }),
      oauth,
      'Error',
    );
    add('401 revoked access', await postBatch(emu.url, [visit('c')], { bearer: access }), v3, 'Error');
    emu.setFaults({ tokenSequence: ['token-error-500', 'token-error-503'] });
    add(
      '500 token endpoint',
      await grant({ grant_type: 'refresh_token', refresh_token: 'legacy-refresh' }),
      oauth,
      'Error',
    );
    add(
      '503 token endpoint',
      await grant({ grant_type: 'refresh_token', refresh_token: 'legacy-refresh' }),
      oauth,
      'Error',
    );
    expectConformant(cases);
  });

  it('catches a body that breaks the schema (the check can fail)', () => {
    expect(
      schemaValidator(v3, 'Error')({ message: 'm', category: 'C', correlationId: 'not-a-uuid' }),
    ).not.toEqual([]);
    expect(
      schemaValidator(v3, 'BatchResponseTimelineEventResponse')({ status: 'DONE', results: [] }),
    ).not.toEqual([]);
  });
});
