import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';
import { batchPath, postBatch, send, token, visit } from './support/http.js';

describe('v3 batch create', () => {
  it('stores a valid batch and answers 201 COMPLETE with every event echoed', async () => {
    await using emu = await startEmulator({ clock: () => Date.parse('2026-11-29T12:00:00.000Z') });
    const answer = await postBatch(emu.url, [visit('a', { tokens: { page: '/p', seconds: 3 } }), visit('b')]);
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({
      status: 'COMPLETE',
      startedAt: '2026-11-29T12:00:00.000Z',
      completedAt: '2026-11-29T12:00:00.000Z',
      results: [
        { id: 'a', eventTemplateId: '1001234', objectType: 'contacts', tokens: { page: '/p', seconds: '3' } },
        { id: 'b', eventTemplateId: '1001234', objectType: 'contacts' },
      ],
    });
    expect(emu.events().map((e) => e.id)).toEqual(['a', 'b']);
    expect(emu.events()[0]).toMatchObject({
      timestamp: '2026-11-29T12:00:00.000Z',
      api: 'v3',
      requestSeq: 1,
    });
    expect(emu.counters()).toMatchObject({ requests: 1, eventsStored: 2 });
  });

  it('serves the old /crm/v3/timeline/events path the same way', async () => {
    await using emu = await startEmulator();
    const answer = await send(`${emu.url}/crm/v3/timeline/events/batch/create`, {
      body: { inputs: [visit('a')] },
    });
    expect(answer.status).toBe(201);
    expect(emu.events()).toHaveLength(1);
  });

  it('answers 207 with per-event errors naming the id, and stores the valid events', async () => {
    await using emu = await startEmulator();
    const answer = await postBatch(emu.url, [
      visit('ok'),
      visit('bad-template', { eventTemplateId: '999' }),
      visit('bad-token', { tokens: { nope: 'x' } }),
      visit('bad-number', { tokens: { seconds: 'forty' } }),
      { eventTemplateId: '1001234', id: 'no-target', tokens: {} },
      { eventTemplateId: '1001235', id: 'company-no-object', email: 'a@b.co', tokens: {} },
      { eventTemplateId: '1001235', id: 'bad-enum', objectId: '7', tokens: { method: 'fax' } },
      { eventTemplateId: '1001237', id: 'bad-date', email: 'a@b.co', tokens: { scannedAt: 'yesterday' } },
    ]);
    expect(answer.status).toBe(207);
    expect(answer.json?.numErrors).toBe(7);
    const errors = answer.json?.errors as {
      category: string;
      context: { id: string[] };
      errors: { in: string }[];
    }[];
    const byId = Object.fromEntries(errors.map((e) => [e.context.id[0], e]));
    expect(byId['bad-template']).toMatchObject({ category: 'OBJECT_NOT_FOUND' });
    expect(byId['bad-token']).toMatchObject({
      category: 'VALIDATION_ERROR',
      errors: [{ in: 'inputs[2].tokens.nope' }],
    });
    expect(byId['bad-number']?.errors[0]?.in).toBe('inputs[3].tokens.seconds');
    expect(byId['no-target']?.errors[0]?.in).toBe('inputs[4].objectId');
    expect(byId['company-no-object']?.errors[0]?.in).toBe('inputs[5].objectId');
    expect(byId['bad-enum']?.errors[0]?.in).toBe('inputs[6].tokens.method');
    expect(byId['bad-date']?.errors[0]?.in).toBe('inputs[7].tokens.scannedAt');
    expect(answer.json?.results).toEqual([expect.objectContaining({ id: 'ok' })]);
    expect(emu.events().map((e) => e.id)).toEqual(['ok']);
  });

  it('accepts well-typed enumeration, date and number tokens', async () => {
    await using emu = await startEmulator();
    const answer = await postBatch(emu.url, [
      {
        eventTemplateId: '1001235',
        id: 'c1',
        objectId: '7',
        tokens: { method: 'kiosk', guests: '2', location: 'HQ' },
      },
      { eventTemplateId: '1001237', id: 's1', utk: 'u', tokens: { scannedAt: '1780000000000', code: 'X' } },
      { eventTemplateId: '1001237', id: 's2', utk: 'u', tokens: { scannedAt: '2026-11-29' } },
      visit('v1', { tokens: { seconds: '-1.5e3' } }),
    ]);
    expect(answer.status).toBe(201);
  });

  it('answers 400 for the whole request when the JSON is malformed', async () => {
    await using emu = await startEmulator();
    const answer = await send(`${emu.url}${batchPath}`, { raw: '{"inputs": [' });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(answer.json?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 400 for the whole request when inputs is missing or an event cannot be built', async () => {
    await using emu = await startEmulator();
    expect((await send(`${emu.url}${batchPath}`, { body: {} })).status).toBe(400);
    expect((await send(`${emu.url}${batchPath}`, { body: { inputs: 'x' } })).status).toBe(400);
    const missing = await postBatch(emu.url, [visit('ok'), { id: 'x', tokens: {} }]);
    expect(missing.status).toBe(400);
    expect(missing.json?.message).toContain('some of required attributes are not set [eventTemplateId]');
    const badType = await postBatch(emu.url, [visit('ok', { tokens: { page: { nested: true } } })]);
    expect(badType.status).toBe(400);
    const badTime = await postBatch(emu.url, [visit('ok', { timestamp: 'noon' })]);
    expect(badTime.status).toBe(400);
    const badFrame = await postBatch(emu.url, [visit('ok', { timelineIFrame: { linkLabel: 'x' } })]);
    expect(badFrame.status).toBe(400);
    expect(emu.events()).toHaveLength(0);
  });

  it('refuses more inputs than the batch cap with 400 and stores nothing', async () => {
    await using emu = await startEmulator({ limits: { maxBatchSize: 3 } });
    const answer = await postBatch(
      emu.url,
      ['a', 'b', 'c', 'd'].map((id) => visit(id)),
    );
    expect(answer.status).toBe(400);
    expect(answer.json?.context).toEqual({ maxInputs: ['3'] });
    expect(
      (
        await postBatch(
          emu.url,
          ['a', 'b', 'c'].map((id) => visit(id)),
        )
      ).status,
    ).toBe(201);
  });

  it('caps batches at 100 inputs by default', async () => {
    await using emu = await startEmulator();
    const inputs = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => visit(`${prefix}${i}`));
    const over = await postBatch(emu.url, inputs(101, 'o'));
    expect(over.status).toBe(400);
    expect(over.json?.context).toEqual({ maxInputs: ['100'] });
    expect(emu.events()).toHaveLength(0);
    expect((await postBatch(emu.url, inputs(100, 'a'))).status).toBe(201);
    expect(emu.events()).toHaveLength(100);
  });

  it('refuses a body over the size cap with 413', async () => {
    await using emu = await startEmulator({ limits: { maxBodyBytes: 2000 } });
    const big = Array.from({ length: 30 }, (_, i) => visit(`e${i}`));
    const answer = await postBatch(emu.url, big);
    expect(answer.status).toBe(413);
    expect(answer.json).toMatchObject({ category: 'VALIDATION_ERROR', context: { maxBytes: ['2000'] } });
    emu.setLimits({ maxBodyBytes: 1_000_000 });
    expect((await postBatch(emu.url, big)).status).toBe(201);
  });

  it('applies the size cap to every content type, before anything else', async () => {
    await using emu = await startEmulator({ limits: { maxBodyBytes: 3000 } });
    const big = JSON.stringify({ inputs: [visit('a', { extraData: { pad: 'x'.repeat(10_000) } })] });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/csv', undefined]) {
      const headers: Record<string, string> = type === undefined ? {} : { 'content-type': type };
      const answer = await fetch(`${emu.url}${batchPath}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, ...headers },
        body: type === undefined ? new Blob([big]) : big,
      });
      expect(answer.status, type).toBe(413);
      expect(await answer.json()).toMatchObject({
        category: 'VALIDATION_ERROR',
        context: { maxBytes: ['3000'] },
      });
    }
    expect(emu.events()).toHaveLength(0);
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE for a body that is not sent as application/json', async () => {
    await using emu = await startEmulator();
    const body = JSON.stringify({ inputs: [visit('a')] });
    // Plain fetch with a string body sends text/plain;charset=UTF-8.
    const plain = await fetch(`${emu.url}${batchPath}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body,
    });
    expect(plain.status).toBe(415);
    expect(await plain.json()).toMatchObject({
      status: 'error',
      category: 'UNSUPPORTED_MEDIA_TYPE',
      message: expect.stringContaining('text/plain'),
    });
    for (const type of ['application/x-www-form-urlencoded', 'text/csv']) {
      const answer = await send(`${emu.url}${batchPath}`, { raw: body, headers: { 'content-type': type } });
      expect(answer.status, type).toBe(415);
    }
    const single = await send(`${emu.url}/integrators/timeline/v3/events`, {
      raw: JSON.stringify(visit('b')),
      headers: { 'content-type': 'text/plain' },
    });
    expect(single.status).toBe(415);
    expect(emu.events()).toHaveLength(0);
    const withCharset = await send(`${emu.url}${batchPath}`, {
      raw: body,
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
    });
    expect(withCharset.status).toBe(201);
  });

  it('answers 415 for a body sent with no Content-Type at all', async () => {
    await using emu = await startEmulator();
    const answer = await fetch(`${emu.url}${batchPath}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: new Blob([JSON.stringify({ inputs: [visit('a')] })]),
    });
    expect(answer.status).toBe(415);
    expect(await answer.json()).toMatchObject({
      category: 'UNSUPPORTED_MEDIA_TYPE',
      message: expect.stringContaining('no Content-Type'),
    });
    expect(emu.events()).toHaveLength(0);
  });

  it('judges the content type after auth, the rate limit and faults, and spends budget on a 415', async () => {
    const now = 0;
    await using emu = await startEmulator({
      clock: () => now,
      limits: { rateLimit: 2 },
      faults: { sequence: ['error-503'], htmlBodyRate: 0 },
    });
    const asText = (init: { bearer?: null } = {}) =>
      send(`${emu.url}${batchPath}`, {
        raw: JSON.stringify({ inputs: [visit('a')] }),
        headers: { 'content-type': 'text/plain' },
        ...init,
      });
    expect((await asText({ bearer: null })).status).toBe(401);
    expect((await asText()).status).toBe(503);
    const refused = await asText();
    expect(refused.status).toBe(415);
    expect(refused.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect((await asText()).status).toBe(429);
    expect(emu.events()).toHaveLength(0);
  });
});

describe('v3 id conflicts', () => {
  it('answers a re-sent id with a per-event CONFLICT in a 207 by default, storing the new ones', async () => {
    await using emu = await startEmulator();
    await postBatch(emu.url, [visit('a')]);
    const answer = await postBatch(emu.url, [visit('a'), visit('b'), visit('b')]);
    expect(answer.status).toBe(207);
    const errors = answer.json?.errors as { category: string; context: { id: string[] } }[];
    expect(errors.map((e) => [e.category, e.context.id[0]])).toEqual([
      ['CONFLICT', 'a'],
      ['CONFLICT', 'b'],
    ]);
    expect(emu.events().map((e) => e.id)).toEqual(['a', 'b']);
    expect(emu.counters().duplicateIdsSeen).toBe(2);
  });

  it('treats the same id under another template as a different event', async () => {
    await using emu = await startEmulator();
    await postBatch(emu.url, [visit('a')]);
    const answer = await postBatch(emu.url, [
      { eventTemplateId: '1001236', id: 'a', email: 'a@b.co', tokens: {} },
    ]);
    expect(answer.status).toBe(201);
  });

  it("answers 409 for the whole request in '409' mode and stores nothing", async () => {
    await using emu = await startEmulator({ limits: { conflictMode: '409' } });
    await postBatch(emu.url, [visit('a')]);
    const answer = await postBatch(emu.url, [visit('a'), visit('b')]);
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({ category: 'CONFLICT', context: { id: ['a'] } });
    expect(emu.events().map((e) => e.id)).toEqual(['a']);
  });

  it("answers v1's 400 'already in use' in '400-in-use' mode", async () => {
    await using emu = await startEmulator({ limits: { conflictMode: '400-in-use' } });
    await postBatch(emu.url, [visit('a')]);
    const answer = await postBatch(emu.url, [visit('a')]);
    expect(answer.status).toBe(400);
    expect(answer.json?.message).toBe('Event ID already in use, please choose a new unique ID');
  });

  it("accepts a duplicate silently in 'silent-dedupe' mode, keeping the first version", async () => {
    await using emu = await startEmulator({ limits: { conflictMode: 'silent-dedupe' } });
    await postBatch(emu.url, [visit('a')]);
    const answer = await postBatch(emu.url, [visit('a', { tokens: { page: '/changed' } })]);
    expect(answer.status).toBe(201);
    expect(answer.json?.results).toEqual([
      expect.objectContaining({ id: 'a', tokens: { page: '/pricing', seconds: '42' } }),
    ]);
    expect(emu.events()).toHaveLength(1);
    expect(emu.counters().duplicateIdsSeen).toBe(1);
  });

  it("overwrites the stored event with a re-sent id in 'last-wins' mode, counting the duplicate", async () => {
    let now = Date.parse('2026-11-29T12:00:00.000Z');
    await using emu = await startEmulator({ clock: () => now, limits: { conflictMode: 'last-wins' } });
    await postBatch(emu.url, [visit('a'), visit('b')]);
    now += 60_000;
    const answer = await postBatch(emu.url, [
      visit('a', { tokens: { page: '/changed' } }),
      visit('c'),
      visit('c', { tokens: { page: '/last' } }),
    ]);
    expect(answer.status).toBe(201);
    // Every input is processed in order and echoed as it was stored; the last version of each id stays.
    expect(answer.json?.results).toEqual([
      expect.objectContaining({ id: 'a', tokens: { page: '/changed' } }),
      expect.objectContaining({ id: 'c', tokens: { page: '/pricing', seconds: '42' } }),
      expect.objectContaining({ id: 'c', tokens: { page: '/last' } }),
    ]);
    // The later version takes the earlier one's place; nothing else moves.
    expect(emu.events().map((e) => [e.id, e.tokens.page, e.requestSeq])).toEqual([
      ['a', '/changed', 2],
      ['b', '/pricing', 1],
      ['c', '/last', 2],
    ]);
    expect(emu.events()[0]?.storedAt).toBe(now);
    // eventsStored counts events created, so it stays equal to events().length; overwrites are duplicates.
    expect(emu.counters()).toMatchObject({ duplicateIdsSeen: 2, eventsStored: 3 });
    expect(emu.requests()[1]).toMatchObject({ inputs: 3, stored: 1 });
    const read = await send(`${emu.url}/integrators/timeline/v3/events/1001234/a`);
    expect(read.json?.tokens).toEqual({ page: '/changed' });
    const single = await send(`${emu.url}/integrators/timeline/v3/events`, {
      body: visit('b', { tokens: { seconds: '7' } }),
    });
    expect(single.status).toBe(201);
    expect(single.json?.tokens).toEqual({ seconds: '7' });
    expect(emu.events().map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(emu.events()[1]?.tokens).toEqual({ seconds: '7' });
    expect(emu.counters().duplicateIdsSeen).toBe(3);
  });
});

describe('v3 single create and read', () => {
  it('serves single create on the old /crm/v3/timeline/events path too', async () => {
    await using emu = await startEmulator();
    const created = await send(`${emu.url}/crm/v3/timeline/events`, { body: visit('legacy') });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: 'legacy', eventTemplateId: '1001234', objectType: 'contacts' });
    expect(emu.events().map((e) => [e.id, e.api])).toEqual([['legacy', 'v3']]);
    const read = await send(`${emu.url}/integrators/timeline/v3/events/1001234/legacy`);
    expect(read.json).toEqual(created.json);
    const again = await send(`${emu.url}/crm/v3/timeline/events`, { body: visit('legacy') });
    expect(again.status).toBe(409);
    const invalid = await send(`${emu.url}/crm/v3/timeline/events`, {
      body: visit('x', { tokens: { seconds: 'x' } }),
    });
    expect(invalid.status).toBe(400);
  });

  it('creates one event with 201 and reads it back with GET', async () => {
    await using emu = await startEmulator();
    const created = await send(`${emu.url}/integrators/timeline/v3/events`, { body: visit('one') });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: 'one', objectType: 'contacts' });
    const read = await send(`${emu.url}/integrators/timeline/v3/events/1001234/one`);
    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);
    const legacy = await send(`${emu.url}/crm/v3/timeline/events/1001234/one`);
    expect(legacy.status).toBe(200);
  });

  it('answers 404 for an unknown event or template, 400 for an invalid event, 409 for a re-sent id', async () => {
    await using emu = await startEmulator();
    expect((await send(`${emu.url}/integrators/timeline/v3/events/1001234/missing`)).status).toBe(404);
    expect(
      (
        await send(`${emu.url}/integrators/timeline/v3/events`, {
          body: visit('x', { eventTemplateId: '9' }),
        })
      ).status,
    ).toBe(404);
    const invalid = await send(`${emu.url}/integrators/timeline/v3/events`, {
      body: visit('x', { tokens: { seconds: 'x' } }),
    });
    expect(invalid.status).toBe(400);
    await send(`${emu.url}/integrators/timeline/v3/events`, { body: visit('x') });
    const again = await send(`${emu.url}/integrators/timeline/v3/events`, { body: visit('x') });
    expect(again.status).toBe(409);
    expect(again.json?.category).toBe('CONFLICT');
  });
});

describe('2026-03 batch', () => {
  const path = '/integrators/timeline/2026-03/events/batch';
  const occurrence = (id: string, extra: Record<string, unknown> = {}) => ({
    eventTypeName: 'visit',
    id,
    email: 'ana@example.com',
    properties: { page: '/x', seconds: '1' },
    ...extra,
  });

  it('stores every occurrence and answers 200 when all are valid and new', async () => {
    await using emu = await startEmulator();
    const answer = await send(`${emu.url}${path}`, { body: { inputs: [occurrence('a'), occurrence('b')] } });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      status: 'COMPLETE',
      results: [{ id: 'a', eventTypeName: 'visit' }, { id: 'b' }],
    });
    expect(emu.events().map((e) => [e.eventTemplateId, e.id, e.api])).toEqual([
      ['1001234', 'a', '2026-03'],
      ['1001234', 'b', '2026-03'],
    ]);
  });

  it('answers 400 and stores nothing when any occurrence is invalid', async () => {
    await using emu = await startEmulator();
    const answer = await send(`${emu.url}${path}`, {
      body: { inputs: [occurrence('a'), occurrence('b', { properties: { seconds: 'many' } })] },
    });
    expect(answer.status).toBe(400);
    expect(emu.events()).toHaveLength(0);
  });

  it('answers 400 for malformed JSON, and for an occurrence with no target, storing nothing', async () => {
    await using emu = await startEmulator();
    const malformed = await send(`${emu.url}${path}`, { raw: '{"inputs": [' });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    const { email: _email, ...noTarget } = occurrence('b');
    const missing = await send(`${emu.url}${path}`, { body: { inputs: [occurrence('a'), noTarget] } });
    expect(missing.status).toBe(400);
    expect(missing.json?.errors).toEqual([
      expect.objectContaining({ in: 'inputs[1].objectId', context: { id: ['b'] } }),
    ]);
    const company = await send(`${emu.url}${path}`, {
      body: { inputs: [{ eventTypeName: '1001235', id: 'c', email: 'a@b.co', properties: {} }] },
    });
    expect(company.status).toBe(400);
    expect(emu.events()).toHaveLength(0);
  });

  it('caps the inputs (100 by default, configurable) and the body size, storing nothing', async () => {
    await using emu = await startEmulator();
    const over = await send(`${emu.url}${path}`, {
      body: { inputs: Array.from({ length: 101 }, (_, i) => occurrence(`o${i}`)) },
    });
    expect(over.status).toBe(400);
    expect(over.json?.context).toEqual({ maxInputs: ['100'] });
    emu.setLimits({ maxBatchSize: 2 });
    const three = await send(`${emu.url}${path}`, {
      body: { inputs: [occurrence('a'), occurrence('b'), occurrence('c')] },
    });
    expect(three.status).toBe(400);
    expect(three.json?.context).toEqual({ maxInputs: ['2'] });
    emu.setLimits({ maxBodyBytes: 3000 });
    const big = await send(`${emu.url}${path}`, {
      body: { inputs: [occurrence('a', { extraData: { pad: 'x'.repeat(5000) } })] },
    });
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ category: 'VALIDATION_ERROR', context: { maxBytes: ['3000'] } });
    expect(emu.events()).toHaveLength(0);
    const two = await send(`${emu.url}${path}`, { body: { inputs: [occurrence('a'), occurrence('b')] } });
    expect(two.status).toBe(200);
  });

  it('answers 409 and stores nothing when any occurrence already exists', async () => {
    await using emu = await startEmulator();
    await send(`${emu.url}${path}`, { body: { inputs: [occurrence('a')] } });
    const answer = await send(`${emu.url}${path}`, { body: { inputs: [occurrence('b'), occurrence('a')] } });
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({ category: 'CONFLICT', context: { id: ['a'] } });
    expect(emu.events().map((e) => e.id)).toEqual(['a']);
  });

  it('answers 409 whatever the conflict mode: the modes apply to the v3 routes only', async () => {
    await using emu = await startEmulator();
    await send(`${emu.url}${path}`, { body: { inputs: [occurrence('a')] } });
    for (const conflictMode of ['207-error', '409', '400-in-use', 'silent-dedupe', 'last-wins'] as const) {
      emu.setLimits({ conflictMode });
      const answer = await send(`${emu.url}${path}`, {
        body: { inputs: [occurrence('a', { properties: { page: '/changed' } })] },
      });
      expect(answer.status, conflictMode).toBe(409);
    }
    expect(emu.events().map((e) => [e.id, e.tokens.page])).toEqual([['a', '/x']]);
  });
});
