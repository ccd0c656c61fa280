import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fold } from '@hubline/core';
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
