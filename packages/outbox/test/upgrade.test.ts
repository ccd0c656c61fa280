import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fold } from '@hubline/core/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentSchemaVersion } from '../src/storage/migrate.js';
import { databaseOf, openOutbox } from './inspect.js';
import { type TempDir, tempDir } from './support.js';

/**
 * A file written by @hubline/outbox 0.1.0 (schema version 5), with that release's own code: nine events
 * recorded at `RECORDED_AT`, six claimed a second later by `engine-0.1.0` with a 30 s lease and settled
 * delivered, delivered (already existed), failed (HTTP 503, counted, retry a minute later), failed (offline,
 * not counted), dead (VALIDATION_ERROR), the sixth left leased; three left pending, one with the app's own id.
 */
const RELEASE_0_1_0 = fileURLToPath(new URL('./fixtures/release-0.1.0.sqlite', import.meta.url));
const RECORDED_AT = Date.UTC(2026, 4, 1, 12);
const IDS = [
  '01KQHPHXG0B3STK82KG0RPT3B3',
  '01KQHPHXG0B3STK82KG0RPT3B4',
  '01KQHPHXG0B3STK82KG0RPT3B5',
  '01KQHPHXG0B3STK82KG0RPT3B6',
  '01KQHPHXG0B3STK82KG0RPT3B7',
  '01KQHPHXG0B3STK82KG0RPT3B8',
  '01KQHPHXG0B3STK82KG0RPT3B9',
  '01KQHPHXG0B3STK82KG0RPT3BA',
  'app-id-8',
] as const;

describe('a file written by release 0.1.0', () => {
  let temp: TempDir;
  let path: string;
  beforeEach(() => {
    temp = tempDir();
    path = temp.path('release.db');
    copyFileSync(RELEASE_0_1_0, path);
  });
  afterEach(() => temp.remove());

  it('is migrated on open and keeps every entry, history and count', () => {
    const now = RECORDED_AT + 2_000;
    const outbox = openOutbox({ path, clock: () => now });
    try {
      expect(databaseOf(outbox).pragma('user_version', { simple: true })).toBe(currentSchemaVersion());
      expect(outbox.stats()).toMatchObject({ pending: 5, inFlight: 1, delivered: 2, dead: 1, evicted: 0 });
      expect(IDS.map((id) => outbox.get(id)?.status)).toEqual([
        'delivered',
        'delivered',
        'pending',
        'pending',
        'dead',
        'leased',
        'pending',
        'pending',
        'pending',
      ]);
      // Nothing the old release wrote says HubSpot may have an event it did not confirm.
      for (const id of IDS) expect(outbox.get(id)?.inDoubt).toBe(false);
      expect(outbox.get(IDS[2])).toMatchObject({ attempts: 1, lastError: 'HTTP 503' });
      expect(outbox.history(IDS[2]).map((record) => record.event.type)).toEqual([
        'Recorded',
        'Claimed',
        'Failed',
      ]);
      for (const id of IDS)
        expect(outbox.get(id)).toMatchObject(fold(outbox.history(id).map((r) => r.event)));
      const before = IDS.map((id) => outbox.get(id));
      outbox.rebuildProjection();
      expect(IDS.map((id) => outbox.get(id))).toEqual(before);
    } finally {
      outbox.close();
    }
  });

  it('goes on delivering: the due entries are claimed in order, and the old lease is settled by its owner', () => {
    const outbox = openOutbox({ path, clock: () => RECORDED_AT + 2_000 });
    try {
      const claimed = outbox.claim({ limit: 10, leaseMs: 30_000, owner: 'engine-next' });
      expect(claimed.map((entry) => entry.id)).toEqual([IDS[6], IDS[7], IDS[8], IDS[3]]);
      expect(
        outbox.settle('engine-0.1.0', [{ id: IDS[5], type: 'delivered', alreadyExisted: false }]).applied,
      ).toEqual([IDS[5]]);
      expect(outbox.stats()).toMatchObject({ pending: 1, inFlight: 4, delivered: 3, dead: 1 });
    } finally {
      outbox.close();
    }
  });
});

/**
 * A file written by this branch before accounts (schema version 10), with that code: seven events recorded at
 * `SCHEMA_10_AT` (the last with the app's own id `app-id-6`), five claimed a second later by `engine-schema-10`
 * with a 30 s lease and settled delivered (evidence `result`), failed with an unknown outcome (HTTP 503, counted,
 * retry a minute later), dead (VALIDATION_ERROR), released (paused, due 10 s later), the fifth left leased; two
 * left pending; the budget `default` paused for an hour (`429 DAILY`). Its owners table was emptied, so that no
 * test depends on whether the writer's process still runs on this machine.
 */
const SCHEMA_10 = fileURLToPath(new URL('./fixtures/schema-10.sqlite', import.meta.url));
const SCHEMA_10_AT = Date.UTC(2026, 11, 1, 12);
const SCHEMA_10_IDS = [
  '01M8RQKQG0X4B4K5JEG9MM9Y7Q',
  '01M8RQKQG0X4B4K5JEG9MM9Y7R',
  '01M8RQKQG0X4B4K5JEG9MM9Y7S',
  '01M8RQKQG0X4B4K5JEG9MM9Y7T',
  '01M8RQKQG0X4B4K5JEG9MM9Y7V',
  '01M8RQKQG0X4B4K5JEG9MM9Y7W',
  'app-id-6',
] as const;

describe('a file written before accounts (schema version 10)', () => {
  let temp: TempDir;
  let path: string;
  beforeEach(() => {
    temp = tempDir();
    path = temp.path('schema-10.db');
    copyFileSync(SCHEMA_10, path);
  });
  afterEach(() => temp.remove());

  it('is migrated on open and keeps every entry, history, count and budget pause', () => {
    const outbox = openOutbox({ path, clock: () => SCHEMA_10_AT + 2_000 });
    try {
      expect(databaseOf(outbox).pragma('user_version', { simple: true })).toBe(currentSchemaVersion());
      expect(outbox.stats()).toMatchObject({ pending: 4, inFlight: 1, delivered: 1, dead: 1, evicted: 0 });
      expect(SCHEMA_10_IDS.map((id) => outbox.get(id)?.status)).toEqual([
        'delivered',
        'pending',
        'dead',
        'pending',
        'leased',
        'pending',
        'pending',
      ]);
      expect(outbox.get(SCHEMA_10_IDS[1])).toMatchObject({
        attempts: 1,
        inDoubt: true,
        lastError: 'HTTP 503',
      });
      expect(outbox.history(SCHEMA_10_IDS[0]).at(-1)?.event).toMatchObject({
        type: 'Delivered',
        evidence: 'result',
      });
      expect(outbox.budgets.pausedFor('default')).toEqual({
        remainingMs: 3_600_000 - 1_000,
        reason: '429 DAILY',
      });
      // Every entry written before accounts belongs to the default account, counted there.
      for (const id of SCHEMA_10_IDS) expect(outbox.get(id)?.account).toBe('default');
      expect(outbox.stats('default')).toEqual(outbox.stats());
      expect(outbox.accountsDue().map((due) => due.account)).toEqual(['default']);
      for (const id of SCHEMA_10_IDS)
        expect(outbox.get(id)).toMatchObject(fold(outbox.history(id).map((r) => r.event)));
      const before = SCHEMA_10_IDS.map((id) => outbox.get(id));
      const stats = outbox.stats();
      outbox.rebuildProjection();
      expect(SCHEMA_10_IDS.map((id) => outbox.get(id))).toEqual(before);
      expect(outbox.stats()).toEqual(stats);
    } finally {
      outbox.close();
    }
  });

  it('goes on delivering: what is due is claimed in order, the rest when it is due', () => {
    let now = SCHEMA_10_AT + 2_000;
    const outbox = openOutbox({ path, clock: () => now });
    try {
      const ids = (limit: number) =>
        outbox.claim({ limit, leaseMs: 600_000, owner: 'engine-next' }).map((entry) => entry.id);
      expect(ids(10)).toEqual([SCHEMA_10_IDS[5], SCHEMA_10_IDS[6]]);
      now = SCHEMA_10_AT + 11_000;
      expect(ids(10)).toEqual([SCHEMA_10_IDS[3]]);
      now = SCHEMA_10_AT + 31_000;
      expect(ids(10)).toEqual([SCHEMA_10_IDS[4]]);
      now = SCHEMA_10_AT + 61_000;
      const [retried] = outbox.claim({ limit: 10, leaseMs: 600_000, owner: 'engine-next' });
      expect(retried).toMatchObject({ id: SCHEMA_10_IDS[1], attempts: 1, inDoubt: true });
      expect(outbox.stats()).toMatchObject({ pending: 0, inFlight: 5, delivered: 1, dead: 1 });
    } finally {
      outbox.close();
    }
  });
});
