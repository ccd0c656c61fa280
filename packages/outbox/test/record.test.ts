import { isHublineError } from '@hubline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outbox } from '../src/types.js';
import { databaseOf, openOutbox } from './inspect.js';
import { errorOf, manualClock, sampleInput, type TempDir, tempDir } from './support.js';

function count(outbox: Outbox, table: 'entries' | 'lifecycle'): number {
  return databaseOf(outbox).prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

describe('Outbox.record', () => {
  let temp: TempDir;
  let outbox: Outbox;
  const clock = manualClock();
  beforeEach(() => {
    temp = tempDir();
    outbox = openOutbox({ path: temp.path(), clock: clock.now });
  });
  afterEach(() => {
    outbox.close();
    temp.remove();
  });

  it('stores the normalised event with its Recorded event and returns a fresh ULID', () => {
    const id = outbox.record(sampleInput(1, { eventTemplateId: 1001234 }));
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const entry = outbox.get(id);
    expect(entry?.event).toMatchObject({
      id,
      eventTemplateId: '1001234',
      tokens: { page: '/pricing/1', seconds: '1' },
    });
    expect(entry?.event.timestamp).toBe(new Date(clock.now()).toISOString());
    expect(entry).toMatchObject({
      status: 'pending',
      attempts: 0,
      recordedAt: clock.now(),
      nextAttemptAt: clock.now(),
    });
    expect(outbox.history(id)).toEqual([
      { seq: 1, event: { type: 'Recorded', at: clock.now(), bytes: entry?.bytes } },
    ]);
  });

  it('keeps an id the app gives, and recording it again with the same content is a no-op returning it', () => {
    const input = sampleInput(1, { id: 'visit-1' });
    expect(outbox.record(input)).toBe('visit-1');
    clock.advance(1000); // the stamped timestamp differs, but the app gave none: same content
    expect(outbox.record({ ...input, tokens: { seconds: 1, page: '/pricing/1' } })).toBe('visit-1');
    expect(count(outbox, 'entries')).toBe(1);
    expect(count(outbox, 'lifecycle')).toBe(1);
    expect(outbox.stats().pending).toBe(1);
  });

  it('refuses the same id with different content with ID_CONFLICT and writes nothing', () => {
    outbox.record(sampleInput(1, { id: 'visit-1' }));
    const error = errorOf(() => outbox.record(sampleInput(2, { id: 'visit-1' })));
    expect(isHublineError(error, 'ID_CONFLICT')).toBe(true);
    expect(outbox.get('visit-1')?.event.email).toBe('visitor-1@example.com');
    expect(count(outbox, 'lifecycle')).toBe(1);
  });

  it('refuses invalid input naming the field, writing nothing', () => {
    const error = errorOf(() => outbox.record({ eventTemplateId: '', tokens: {} }));
    expect(isHublineError(error, 'VALIDATION_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/eventTemplateId/);
    expect(count(outbox, 'entries')).toBe(0);
  });

  it('records many in one all-or-nothing transaction: one bad event in the middle writes nothing', () => {
    const inputs = [
      sampleInput(1),
      sampleInput(2),
      { eventTemplateId: '1', email: 'not-an-email' },
      sampleInput(4),
    ];
    const error = errorOf(() => outbox.recordMany(inputs));
    expect(isHublineError(error, 'VALIDATION_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/\[2\]/);
    expect(count(outbox, 'entries')).toBe(0);
    expect(count(outbox, 'lifecycle')).toBe(0);
    expect(outbox.stats()).toMatchObject({ pending: 0, backlogBytes: 0 });
  });

  it('refuses a recordMany that is not given an array, naming it', () => {
    for (const inputs of ['abc', undefined, { length: 1, 0: sampleInput(1) }]) {
      const error = errorOf(() => outbox.recordMany(inputs as never));
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(/inputs.*must be an array of timeline events/s);
    }
    expect(count(outbox, 'entries')).toBe(0);
  });

  it('rolls back a whole recordMany when one id conflicts', () => {
    outbox.record(sampleInput(1, { id: 'taken' }));
    const error = errorOf(() =>
      outbox.recordMany([sampleInput(2), sampleInput(3, { id: 'taken' }), sampleInput(4)]),
    );
    expect(isHublineError(error, 'ID_CONFLICT')).toBe(true);
    expect(count(outbox, 'entries')).toBe(1);
  });

  it('returns ids in input order and signals new work once per commit with the count of new entries', () => {
    const signals: number[] = [];
    outbox.changes$.subscribe((n) => signals.push(n));
    const ids = outbox.recordMany([sampleInput(1), sampleInput(2, { id: 'b' }), sampleInput(3)]);
    expect(ids[1]).toBe('b');
    expect(ids[0]! < ids[2]!).toBe(true);
    outbox.record(sampleInput(2, { id: 'b' })); // duplicate: no new work
    outbox.record(sampleInput(4));
    expect(signals).toEqual([3, 1]);
  });

  it('reports a full disk as STORAGE_FAILED and loses nothing already recorded', () => {
    const kept = outbox.recordMany(Array.from({ length: 50 }, (_, n) => sampleInput(n)));
    const db = databaseOf(outbox);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const big = 'x'.repeat(20_000);
    let error: unknown;
    for (let n = 0; n < 200 && error === undefined; n++) {
      try {
        outbox.record(sampleInput(1000 + n, { tokens: { big } }));
      } catch (caught) {
        error = caught;
      }
    }
    expect(isHublineError(error, 'STORAGE_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/full/);
    db.pragma('max_page_count = 1073741823');
    outbox.close();
    outbox = openOutbox({ path: temp.path(), clock: clock.now });
    for (const id of kept) expect(outbox.get(id)?.status).toBe('pending');
    expect(databaseOf(outbox).pragma('integrity_check', { simple: true })).toBe('ok');
    const entries = count(outbox, 'entries');
    expect(outbox.stats().pending).toBe(entries);
  });
});
