import type { Logger } from '@hubline/core';
import { PRUNE_DEFAULTS } from '@hubline/core/store';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOutbox } from '../src/open-outbox.js';
import { manualClock, sampleInput, type TempDir, tempDir } from './support.js';

type Level = keyof Logger;

/** A logger that keeps every call. */
function capturingLogger(): Logger & {
  readonly calls: { level: Level; message: string; fields?: Record<string, unknown> }[];
} {
  const calls: { level: Level; message: string; fields?: Record<string, unknown> }[] = [];
  const at =
    (level: Level) =>
    (message: string, fields?: Record<string, unknown>): void => {
      calls.push({ level, message, ...(fields === undefined ? {} : { fields }) });
    };
  return { calls, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('Outbox logger', () => {
  let temp: TempDir;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.remove());

  it('receives what the outbox reports (evictions, expired and lost leases, prunes, storage failures) and no event content', () => {
    const path = temp.path();
    const clock = manualClock();
    const logger = capturingLogger();
    const secret = { email: 'private.person@example.com', token: 'card-4111-1111' };
    const input = (n: number) =>
      sampleInput(n, { email: `${n}.${secret.email}`, tokens: { note: `${secret.token}-${n}` } });
    const outbox = openOutbox({
      path,
      clock: clock.now,
      logger,
      maxEntries: 2,
      capacityPolicy: 'evict-oldest',
      busyTimeoutMs: 20,
    });

    outbox.recordMany([input(1), input(2)]);
    clock.advance(1);
    outbox.record(input(3)); // evicts the oldest
    const [taken] = outbox.claim({ limit: 1, leaseMs: 1000, owner: 'a' });
    clock.advance(2000);
    outbox.claim({ limit: 2, leaseMs: 1000, owner: 'b' }); // a's lease expired: b takes it over
    expect(outbox.settle('a', [{ id: taken!.id, type: 'delivered', alreadyExisted: false }]).lost).toEqual([
      taken!.id,
    ]);
    outbox.settle('b', [{ id: taken!.id, type: 'delivered', alreadyExisted: false }]);
    clock.advance(PRUNE_DEFAULTS.olderThanMs + 1);
    outbox.record(input(4)); // the newest entry is never pruned
    expect(outbox.prune()).toBe(2); // the evicted entry and the delivered one
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    expect(() => outbox.record(input(5))).toThrow(/busy timeout/);
    other.exec('ROLLBACK');
    other.close();
    outbox.close();

    const said = (level: Level, message: RegExp) =>
      logger.calls.filter((call) => call.level === level && message.test(call.message));
    expect(said('debug', /opened/)).toHaveLength(1);
    expect(said('warn', /evicted/)[0]?.fields).toEqual({ evicted: 1 });
    expect(said('debug', /lease expired/)[0]?.fields).toEqual({ id: taken!.id, owner: 'a' });
    expect(said('warn', /lost leases/)[0]?.fields).toEqual({ owner: 'a', lost: 1 });
    expect(said('info', /pruned/)[0]?.fields).toMatchObject({ pruned: 2 });
    expect(said('error', /busy timeout/)[0]?.fields).toEqual({ action: 'record' });
    expect(said('debug', /closed/)).toHaveLength(1);
    const everything = JSON.stringify(logger.calls);
    for (const word of ['private.person', 'card-4111', 'pricing', 'example.com']) {
      expect(everything).not.toContain(word);
    }
  });
});
