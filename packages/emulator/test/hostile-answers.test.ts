import { describe, expect, it } from 'vitest';
import { type HostileAnswerKind, startEmulator } from '../src/index.js';
import { listOf, postBatch, resultIds, send, visit } from './support/http.js';
import { recordSleeps } from './support/sleeps.js';

const occurrences = '/integrators/timeline/2026-03/events/batch';
const readBack = (base: string, id: string) => send(`${base}/integrators/timeline/v3/events/1001234/${id}`);
const stored = (emu: { events(): { id: string }[] }) => emu.events().map((e) => e.id);

describe('2xx answers that prove nothing', () => {
  const cases: [HostileAnswerKind, number, (answer: Awaited<ReturnType<typeof send>>) => void][] = [
    ['empty-200', 200, (a) => expect(a.text).toBe('')],
    [
      'html-200',
      200,
      (a) => {
        expect(a.headers.get('content-type')).toMatch(/^text\/html/);
        expect(a.text).toContain('<html>');
      },
    ],
    [
      'error-json-200',
      200,
      (a) => expect(a.json).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' }),
    ],
    [
      'junk-json-200',
      200,
      (a) => {
        expect(a.headers.get('content-type')).toMatch(/^application\/json/);
        expect(a.json).toBeUndefined();
        expect(a.text).toMatch(/^\{"status":"COMPLETE"/);
      },
    ],
    ['no-content-204', 204, (a) => expect(a.text).toBe('')],
    ['status-299', 299, (a) => expect(a.json).toEqual({})],
  ];

  for (const [kind, status, check] of cases) {
    it(`${kind}: answers ${status} and stores nothing; ${kind}-stored answers the same after storing`, async () => {
      await using emu = await startEmulator({
        faults: { sequence: [kind, `${kind}-stored` as HostileAnswerKind] },
      });
      const lost = await postBatch(emu.url, [visit('a'), visit('b')]);
      expect(lost.status).toBe(status);
      check(lost);
      expect(stored(emu)).toEqual([]);
      const kept = await postBatch(emu.url, [visit('a'), visit('b')]);
      expect(kept.status).toBe(status);
      check(kept);
      expect(stored(emu)).toEqual(['a', 'b']);
      expect(emu.requests().map((r) => [r.fault, r.stored ?? 0])).toEqual([
        [kind, 0],
        [`${kind}-stored`, 2],
      ]);
      // The rate-limit headers go on hostile answers too.
      expect(kept.headers.get('x-hubspot-ratelimit-remaining')).toBe('98');
    });
  }

  it('answers the same on the single-create and read-back routes', async () => {
    await using emu = await startEmulator({ faults: { sequence: ['empty-200-stored', 'html-200'] } });
    const created = await send(`${emu.url}/integrators/timeline/v3/events`, { body: visit('one') });
    expect([created.status, created.text]).toEqual([200, '']);
    expect(stored(emu)).toEqual(['one']);
    const read = await readBack(emu.url, 'one');
    expect(read.status).toBe(200);
    expect(read.text).toContain('<html>');
  });
});

describe('batch status', () => {
  it('PENDING and PROCESSING: stored at once, answered with no results', async () => {
    let now = Date.parse('2026-11-29T12:00:00.000Z');
    await using emu = await startEmulator({
      clock: () => now,
      faults: { sequence: ['batch-pending', 'batch-processing'] },
    });
    const pending = await postBatch(emu.url, [visit('a')]);
    expect(pending.status).toBe(201);
    expect(pending.json).toEqual({
      status: 'PENDING',
      results: [],
      startedAt: '2026-11-29T12:00:00.000Z',
      completedAt: '2026-11-29T12:00:00.000Z',
    });
    now += 1000;
    const processing = await postBatch(emu.url, [visit('b')]);
    expect(processing.json).toMatchObject({ status: 'PROCESSING', results: [] });
    expect(stored(emu)).toEqual(['a', 'b']);
    expect((await readBack(emu.url, 'a')).status).toBe(200);
  });

  it('PENDING, delayed: an immediate read-back says 404; the events are stored pendingMs later', async () => {
    const timers = recordSleeps({ hold: true });
    await using emu = await startEmulator({
      sleep: timers.sleep,
      faults: { sequence: ['batch-pending-delayed'], pendingMs: 2500 },
    });
    const answer = await postBatch(emu.url, [visit('a'), visit('b')]);
    expect(answer.json).toMatchObject({ status: 'PENDING', results: [] });
    const early = await readBack(emu.url, 'a');
    expect(early.status).toBe(404);
    expect(early.json).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    expect(timers.held()).toEqual([2500]);
    timers.releaseAll();
    await expect.poll(() => stored(emu)).toEqual(['a', 'b']);
    expect((await readBack(emu.url, 'a')).status).toBe(200);
    expect(emu.requests()[0]).toMatchObject({ fault: 'batch-pending-delayed', stored: 2 });
    expect(emu.counters().eventsStored).toBe(2);
  });

  it('PROCESSING, delayed: a re-send in the meantime stores each id once', async () => {
    const timers = recordSleeps({ hold: true });
    await using emu = await startEmulator({
      sleep: timers.sleep,
      faults: { sequence: ['batch-processing-delayed'] },
    });
    expect((await postBatch(emu.url, [visit('a')])).json).toMatchObject({ status: 'PROCESSING' });
    expect((await postBatch(emu.url, [visit('a')])).status).toBe(201);
    timers.releaseAll();
    await expect.poll(() => emu.counters().duplicateIdsSeen).toBe(1);
    expect(stored(emu)).toEqual(['a']);
  });

  it('a delayed store is dropped by reset() and by stop()', async () => {
    const timers = recordSleeps({ hold: true });
    const emu = await startEmulator({
      sleep: timers.sleep,
      faults: { sequence: ['batch-pending-delayed', 'batch-pending-delayed'] },
    });
    await postBatch(emu.url, [visit('a')]);
    emu.reset();
    emu.setFaults({ sequence: ['batch-pending-delayed'] });
    await postBatch(emu.url, [visit('b')]);
    timers.releaseAll();
    await expect.poll(() => stored(emu)).toEqual(['b']);
    emu.setFaults({ sequence: ['batch-pending-delayed'] });
    await postBatch(emu.url, [visit('c')]);
    await emu.stop();
    timers.releaseAll();
    await new Promise((resolve) => setImmediate(resolve));
    expect(stored(emu)).toEqual(['b']);
  });

  it('CANCELED: nothing stored, answered with no results', async () => {
    await using emu = await startEmulator({ faults: { sequence: ['batch-canceled'] } });
    const answer = await postBatch(emu.url, [visit('a')]);
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({ status: 'CANCELED', results: [] });
    expect(stored(emu)).toEqual([]);
  });

  it('applies to the 2026-03 batch too, which answers 200', async () => {
    await using emu = await startEmulator({ faults: { sequence: ['batch-pending', 'batch-canceled'] } });
    const occurrence = (id: string) => ({ eventTypeName: 'visit', id, email: 'a@b.co', properties: {} });
    const pending = await send(`${emu.url}${occurrences}`, { body: { inputs: [occurrence('o1')] } });
    expect([pending.status, pending.json?.status, pending.json?.results]).toEqual([200, 'PENDING', []]);
    const canceled = await send(`${emu.url}${occurrences}`, { body: { inputs: [occurrence('o2')] } });
    expect([canceled.status, canceled.json?.status]).toEqual([200, 'CANCELED']);
    expect(stored(emu)).toEqual(['o1']);
  });

  it('leaves other routes alone: a batch-only fault drawn for a read-back lets it through', async () => {
    await using emu = await startEmulator({ faults: { sequence: ['batch-canceled', 'batch-canceled'] } });
    await send(`${emu.url}/integrators/timeline/v3/events`, { body: visit('one') });
    expect((await readBack(emu.url, 'one')).status).toBe(200);
    expect(emu.requests().map((r) => r.fault)).toEqual([undefined, undefined]);
    expect(emu.counters().faultsInjected).toBe(0);
  });
});

describe('results that do not match what was sent', () => {
  it('results-missing: every event stored, every other one left out of results', async () => {
    await using emu = await startEmulator({ faults: { sequence: ['results-missing', 'results-missing'] } });
    const answer = await postBatch(
      emu.url,
      ['a', 'b', 'c', 'd', 'e'].map((id) => visit(id)),
    );
    expect(answer.status).toBe(201);
    expect(answer.json?.status).toBe('COMPLETE');
    expect(resultIds(answer)).toEqual(['b', 'd']);
    expect(stored(emu)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const lone = await postBatch(emu.url, [visit('f')]);
    expect(lone.json?.results).toEqual([]);
    expect(stored(emu)).toContain('f');
  });

  it('results-unsent-ids: every other event not stored, and named in results by an id never sent', async () => {
    await using emu = await startEmulator({
      faults: { sequence: ['results-unsent-ids', 'results-unsent-ids'] },
    });
    const answer = await postBatch(
      emu.url,
      ['a', 'b', 'c', 'd'].map((id) => visit(id)),
    );
    expect(answer.status).toBe(201);
    const ids = resultIds(answer);
    expect(ids).toEqual(['b', 'd', 'emulator-unsent-1-0', 'emulator-unsent-1-2']);
    expect(stored(emu)).toEqual(['b', 'd']);
    const lone = await postBatch(emu.url, [visit('e')]);
    expect(lone.status).toBe(201);
    expect(resultIds(lone)).toEqual(['emulator-unsent-2-0']);
    expect(stored(emu)).toEqual(['b', 'd']);
  });
});

describe('207 errors that name no event', () => {
  const unnamed = (answer: Awaited<ReturnType<typeof send>>) =>
    listOf<{ category: string; context: Record<string, unknown> }>(answer, 'errors').map((e) => [
      e.category,
      e.context,
    ]);

  it('unattributed-exists: a lone event is stored and answered "already exists" naming no id', async () => {
    await using emu = await startEmulator({ faults: { sequence: ['unattributed-exists'] } });
    const answer = await postBatch(emu.url, [visit('a')]);
    expect(answer.status).toBe(207);
    expect(answer.json).toMatchObject({ status: 'COMPLETE', results: [], numErrors: 1 });
    expect(unnamed(answer)).toEqual([['CONFLICT', {}]]);
    expect(answer.text).not.toContain('"a"');
    expect(stored(emu)).toEqual(['a']);
  });

  it('unattributed-exists: in a batch, the last event loses its result to the unnamed error', async () => {
    await using emu = await startEmulator();
    await postBatch(emu.url, [visit('c')]);
    emu.setFaults({ sequence: ['unattributed-exists'] });
    // c already exists, so HubSpot's own answer names it in a CONFLICT error; the fault drops that name.
    const answer = await postBatch(emu.url, [visit('a'), visit('b'), visit('c')]);
    expect(answer.status).toBe(207);
    expect(resultIds(answer)).toEqual(['a', 'b']);
    expect(unnamed(answer)).toEqual([['CONFLICT', {}]]);
    expect(stored(emu)).toEqual(['c', 'a', 'b']);
  });

  it('unattributed-exists never says so of an event that is not stored', async () => {
    await using emu = await startEmulator({ faults: { sequence: ['unattributed-exists'] } });
    const answer = await postBatch(emu.url, [visit('a', { tokens: { nope: '1' } })]);
    expect(answer.status).toBe(207);
    expect(answer.json?.errors).toEqual([
      expect.objectContaining({
        category: 'VALIDATION_ERROR',
        context: { id: ['a'], eventTemplateId: ['1001234'] },
      }),
    ]);
    expect(stored(emu)).toEqual([]);
  });

  it('unattributed-invalid: the last event is not stored; a validation error naming no id stands for it', async () => {
    await using emu = await startEmulator({
      faults: { sequence: ['unattributed-invalid', 'unattributed-invalid'] },
    });
    const lone = await postBatch(emu.url, [visit('a')]);
    expect(lone.status).toBe(207);
    expect(lone.json).toMatchObject({ results: [], numErrors: 1 });
    expect(unnamed(lone)).toEqual([['VALIDATION_ERROR', {}]]);
    expect(stored(emu)).toEqual([]);
    const batch = await postBatch(emu.url, [visit('b'), visit('c')]);
    expect(resultIds(batch)).toEqual(['b']);
    expect(unnamed(batch)).toEqual([['VALIDATION_ERROR', {}]]);
    expect(stored(emu)).toEqual(['b']);
  });
});

describe('hostile answers are seeded', () => {
  it('replays the same answers for the same seed and request sequence', async () => {
    const rates = {
      'empty-200-stored': 0.1,
      'html-200': 0.1,
      'batch-pending': 0.1,
      'results-missing': 0.1,
      'unattributed-exists': 0.1,
      'batch-canceled': 0.1,
    } as const;
    const runs: unknown[] = [];
    for (const _ of [1, 2]) {
      await using emu = await startEmulator({ faults: { seed: 11, rates } });
      for (let i = 0; i < 40; i += 1) await postBatch(emu.url, [visit(`e${i}`), visit(`f${i}`)]);
      runs.push({ faults: emu.requests().map((r) => r.fault ?? 'none'), stored: stored(emu) });
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(new Set((runs[0] as { faults: string[] }).faults).size).toBeGreaterThan(4);
  });
});
