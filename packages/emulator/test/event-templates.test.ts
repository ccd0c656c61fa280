import { describe, expect, it } from 'vitest';
import { defaultDeveloper, startEmulator } from '../src/index.js';
import { listOf, postBatch, send } from './support/http.js';

const key = defaultDeveloper.apiKey;
const templatesOf = (
  base: string,
  appId: number | string = defaultDeveloper.appId,
  hapikey: string | null = key,
) =>
  `${base}/integrators/timeline/v3/${appId}/event-templates${hapikey === null ? '' : `?hapikey=${hapikey}`}`;
const at = (base: string, path: string) => {
  const [route, query] = templatesOf(base).split('?');
  return `${route}${path}?${query}`;
};

describe('event-template routes (developer key)', () => {
  it('refuses requests without the developer key, with another key, or for another app', async () => {
    await using emu = await startEmulator();
    const none = await send(templatesOf(emu.url, undefined, null), { bearer: null });
    expect([none.status, none.json?.category]).toEqual([401, 'INVALID_AUTHENTICATION']);
    const wrong = await send(templatesOf(emu.url, undefined, 'nope'), { bearer: null });
    expect([wrong.status, wrong.json?.category]).toEqual([401, 'INVALID_AUTHENTICATION']);
    // An account's access token is not a developer credential.
    expect((await send(templatesOf(emu.url, undefined, null))).status).toBe(401);
    const otherApp = await send(templatesOf(emu.url, 999), { bearer: null });
    expect([otherApp.status, otherApp.json?.category]).toEqual([404, 'OBJECT_NOT_FOUND']);
    // The key travels in the query string and never reaches the log.
    expect(JSON.stringify(emu.requests())).not.toContain(key);
    expect(emu.requests()[1]?.auth).toBeUndefined();
  });

  it('lists the app’s templates as { results }, with HubSpot’s token shape', async () => {
    let now = Date.parse('2026-11-29T12:00:00.000Z');
    await using emu = await startEmulator({ clock: () => now });
    now += 1000;
    const list = await send(templatesOf(emu.url), { bearer: null });
    expect(list.status).toBe(200);
    expect(Object.keys(list.json ?? {})).toEqual(['results']);
    const results = list.json?.results as Record<string, unknown>[];
    expect(results.map((t) => t.id)).toEqual(['1001234', '1001235', '1001236', '1001237']);
    expect(results[1]).toMatchObject({
      id: '1001235',
      name: 'check-in',
      objectType: 'companies',
      createdAt: '2026-11-29T12:00:00.000Z',
      tokens: [
        { name: 'location', label: 'location', type: 'string', options: [] },
        {
          name: 'method',
          type: 'enumeration',
          options: [
            { value: 'kiosk', label: 'kiosk' },
            { value: 'mobile', label: 'mobile' },
            { value: 'staff', label: 'staff' },
          ],
        },
        { name: 'guests', type: 'number' },
      ],
    });
    const one = await send(at(emu.url, '/1001234'), { bearer: null });
    expect(one.json).toEqual(results[0]);
    const missing = await send(at(emu.url, '/42'), { bearer: null });
    expect([missing.status, missing.json?.category]).toEqual([404, 'OBJECT_NOT_FOUND']);
  });

  it('creates, changes and deletes templates; every account’s events are judged against them at once', async () => {
    await using emu = await startEmulator({ accounts: [{ id: '123', tokens: [{ token: 'other' }] }] });
    const created = await send(templatesOf(emu.url), {
      bearer: null,
      body: {
        name: 'signup',
        objectType: 'contacts',
        headerTemplate: 'Signed up for {{plan}}',
        tokens: [
          { name: 'plan', label: 'Plan', type: 'enumeration', options: [{ value: 'pro', label: 'Pro' }] },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      id: '1001238',
      name: 'signup',
      headerTemplate: 'Signed up for {{plan}}',
    });
    const signup = (id: string, plan: string) => ({
      eventTemplateId: '1001238',
      id,
      email: 'a@b.co',
      tokens: { plan },
    });
    expect((await postBatch(emu.url, [signup('s1', 'pro')])).status).toBe(201);
    expect((await postBatch(emu.url, [signup('s2', 'pro')], { bearer: 'other' })).status).toBe(201);
    const refused = await postBatch(emu.url, [signup('s3', 'free')], { bearer: 'other' });
    expect(refused.json?.errors).toEqual([expect.objectContaining({ category: 'VALIDATION_ERROR' })]);

    // A new token, then an option added to the enumeration: 'free' becomes valid.
    const token = await send(at(emu.url, '/1001238/tokens'), {
      bearer: null,
      body: { name: 'seats', label: 'Seats', type: 'number' },
    });
    expect([token.status, token.json?.name, token.json?.options]).toEqual([200, 'seats', []]);
    const changed = await send(at(emu.url, '/1001238/tokens/plan'), {
      method: 'PUT',
      bearer: null,
      body: {
        label: 'Plan',
        options: [
          { value: 'pro', label: 'Pro' },
          { value: 'free', label: 'Free' },
        ],
      },
    });
    expect(changed.json?.options).toHaveLength(2);
    expect(
      (await postBatch(emu.url, [{ ...signup('s3', 'free'), tokens: { plan: 'free', seats: '3' } }])).status,
    ).toBe(201);
    const dropped = await send(at(emu.url, '/1001238/tokens/seats'), { method: 'DELETE', bearer: null });
    expect(dropped.status).toBe(204);
    expect((await postBatch(emu.url, [{ ...signup('s4', 'pro'), tokens: { seats: '1' } }])).status).toBe(207);

    // PUT replaces name and tokens, keeps the object type.
    const replaced = await send(at(emu.url, '/1001238'), {
      method: 'PUT',
      bearer: null,
      body: {
        id: '1001238',
        name: 'sign-up',
        tokens: [{ name: 'plan', label: 'Plan', type: 'string', options: [] }],
      },
    });
    expect(replaced.json).toMatchObject({ id: '1001238', name: 'sign-up', objectType: 'contacts' });
    expect(emu.templates().find((t) => t.id === '1001238')?.name).toBe('sign-up');

    expect((await send(at(emu.url, '/1001238'), { method: 'DELETE', bearer: null })).status).toBe(204);
    const gone = await postBatch(emu.url, [signup('s5', 'pro')]);
    expect(gone.json?.errors).toEqual([expect.objectContaining({ category: 'OBJECT_NOT_FOUND' })]);
    // Events already stored stay.
    expect(emu.events().map((e) => e.id)).toEqual(['s1', 's2', 's3']);
  });

  it('answers 400 naming the field for a template or token that breaks the rules', async () => {
    await using emu = await startEmulator();
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['POST', '', { objectType: 'contacts', tokens: [] }, 'name'],
      ['POST', '', { name: 'n', objectType: 'contacts' }, 'tokens'],
      [
        'POST',
        '',
        { name: 'n', objectType: 'contacts', tokens: [{ name: 'a b', label: 'x', type: 'string' }] },
        'tokens[0].name',
      ],
      [
        'POST',
        '',
        {
          name: 'n',
          objectType: 'contacts',
          tokens: [{ name: 'e', label: 'E', type: 'enumeration', options: [] }],
        },
        'tokens[0].options',
      ],
      [
        'POST',
        '',
        { name: 'n', objectType: 'contacts', tokens: [{ name: 't', label: 'T', type: 'color' }] },
        'tokens[0].type',
      ],
      ['PUT', '/1001234', { id: '1', name: 'visit', tokens: [] }, 'id'],
      ['POST', '/1001234/tokens', { name: 'page', label: 'Page', type: 'string' }, 'name'],
      ['POST', '/1001234/tokens', { name: 'x', type: 'string' }, 'label'],
    ];
    for (const [method, path, body, field] of cases) {
      const answer = await send(at(emu.url, path), { method, bearer: null, body });
      expect(answer.status, `${method} ${path} ${field}`).toBe(400);
      expect(answer.json?.category).toBe('VALIDATION_ERROR');
      expect(listOf<{ in: string }>(answer, 'errors')[0]?.in, JSON.stringify(body)).toBe(field);
    }
    expect(emu.templates()).toHaveLength(4);
  });

  it('carries rate-limit headers and takes faults like every API route', async () => {
    await using emu = await startEmulator({ faults: { sequence: ['error-503'], htmlBodyRate: 0 } });
    const failed = await send(templatesOf(emu.url), { bearer: null });
    expect(failed.status).toBe(503);
    const ok = await send(templatesOf(emu.url), { bearer: null });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-hubspot-ratelimit-max')).toBe('100');
    expect(ok.headers.get('x-hubspot-ratelimit-remaining')).toBe('98');
  });
});
