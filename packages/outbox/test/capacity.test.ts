import { isHublineError } from '@hubline/core';
import type { Eviction } from '@hubline/core/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOutbox } from '../src/open-outbox.js';
import type { Outbox } from '../src/types.js';
import { errorOf, manualClock, sampleInput, type TempDir, tempDir } from './support.js';

describe('Outbox size cap', () => {
  let temp: TempDir;
  const opened: Outbox[] = [];
  const clock = manualClock();
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => {
    for (const outbox of opened.splice(0)) outbox.close();
    temp.remove();
  });
  const open = (options: Partial<Parameters<typeof openOutbox>[0]>) => {
    const outbox = openOutbox({ path: temp.path(), clock: clock.now, ...options });
    opened.push(outbox);
    return outbox;
  };

  it('rejects a record beyond maxEntries with CAPACITY_EXCEEDED and writes nothing', () => {
    const outbox = open({ maxEntries: 3 });
    outbox.recordMany([sampleInput(1), sampleInput(2)]);
    const error = errorOf(() => outbox.recordMany([sampleInput(3), sampleInput(4)]));
    expect(isHublineError(error, 'CAPACITY_EXCEEDED')).toBe(true);
    expect(error).toMatchObject({ limit: 'maxEntries', max: 3 });
    expect(outbox.stats().pending).toBe(2);
    outbox.record(sampleInput(3));
    expect(outbox.stats().pending).toBe(3);
  });

  it('counts only undelivered entries against the cap', () => {
    const outbox = open({ maxEntries: 1 });
    const id = outbox.record(sampleInput(1));
    outbox.claim({ limit: 1, leaseMs: 1000, owner: 'a' });
    outbox.settle('a', [{ id, type: 'delivered', alreadyExisted: false }]);
    expect(() => outbox.record(sampleInput(2))).not.toThrow();
  });

  it('rejects a record beyond maxBytes', () => {
    const outbox = open({ maxBytes: 400 });
    outbox.record(sampleInput(1));
    const error = errorOf(() => outbox.record(sampleInput(2, { tokens: { text: 'x'.repeat(400) } })));
    expect(error).toMatchObject({ code: 'CAPACITY_EXCEEDED', limit: 'maxBytes', max: 400 });
  });

  it('evicts the oldest pending entries with an Evicted event and a signal under evict-oldest', () => {
    const outbox = open({ maxEntries: 3, capacityPolicy: 'evict-oldest' });
    const evicted: Eviction[] = [];
    outbox.evicted$.subscribe((eviction) => evicted.push(eviction));
    const ids = [1, 2, 3].map((n) => {
      clock.advance(1);
      return outbox.record(sampleInput(n));
    });
    outbox.claim({ limit: 1, leaseMs: 60_000, owner: 'a' }); // ids[0] is in flight: never evicted
    clock.advance(1);
    const newer = outbox.recordMany([sampleInput(4), sampleInput(5)]);
    expect(evicted.map((eviction) => eviction.id)).toEqual([ids[1], ids[2]]);
    expect(evicted[0]?.reason).toMatch(/maxEntries/);
    expect(outbox.get(ids[1]!)?.status).toBe('evicted');
    expect(outbox.history(ids[1]!).at(-1)?.event).toMatchObject({ type: 'Evicted' });
    expect(outbox.stats()).toMatchObject({ pending: 2, inFlight: 1, evicted: 2 });
    expect(newer.map((id) => outbox.get(id)?.status)).toEqual(['pending', 'pending']);
  });

  it('keeps an evicted entry evicted: requeue skips it and recording its id again is a no-op', () => {
    const outbox = open({ maxEntries: 1, capacityPolicy: 'evict-oldest' });
    const input = sampleInput(1, { id: 'visit-1' });
    outbox.record(input);
    clock.advance(1);
    outbox.record(sampleInput(2));
    expect(outbox.get('visit-1')?.status).toBe('evicted');
    expect(outbox.requeue(['visit-1'])).toBe(0);
    expect(outbox.record(input)).toBe('visit-1');
    expect(outbox.get('visit-1')?.status).toBe('evicted');
    expect(outbox.history('visit-1').map((record) => record.event.type)).toEqual(['Recorded', 'Evicted']);
    expect(outbox.stats()).toMatchObject({ pending: 1, evicted: 1 });
  });

  it('does not count dead letters against the cap', () => {
    const outbox = open({ maxEntries: 1 });
    const id = outbox.record(sampleInput(1));
    outbox.claim({ limit: 1, leaseMs: 1000, owner: 'a' });
    outbox.settle('a', [{ id, type: 'dead', category: 'VALIDATION_ERROR', message: 'refused' }]);
    expect(() => outbox.record(sampleInput(2))).not.toThrow();
    expect(outbox.stats()).toMatchObject({ pending: 1, dead: 1 });
  });

  it('rejects under evict-oldest when nothing pending can be evicted', () => {
    const outbox = open({ maxEntries: 1, capacityPolicy: 'evict-oldest' });
    outbox.record(sampleInput(1));
    outbox.claim({ limit: 1, leaseMs: 60_000, owner: 'a' });
    expect(
      isHublineError(
        errorOf(() => outbox.record(sampleInput(2))),
        'CAPACITY_EXCEEDED',
      ),
    ).toBe(true);
    expect(outbox.stats()).toMatchObject({ pending: 0, inFlight: 1, evicted: 0 });
  });
});
