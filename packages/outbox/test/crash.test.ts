import { fold } from '@hubline/core/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outbox } from '../src/types.js';
import { kill, startChild } from './child-process.js';
import { databaseOf, openOutbox } from './inspect.js';
import { sampleInput, type TempDir, tempDir } from './support.js';

// Children start slowly (node + tsx + sources), so lanes run side by side, each on its own file.
const LANES = 8;
const KILLS_PER_LANE = 3; // 24 SIGKILLs while recording; `bench/crash-soak.ts` runs many more
const CHURN_LANES = 2;
const CHURN_KILLS_PER_LANE = 2;

const randomDelay = (maxMs: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * maxMs));
const reported = (lines: readonly string[], tag: string) =>
  lines.filter((line) => line.startsWith(`${tag} `)).map((line) => line.slice(tag.length + 1));

function expectHealthy(outbox: Outbox): void {
  const db = databaseOf(outbox);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  const { oldestPendingAgeMs: _age, ...stats } = outbox.stats();
  const recount = db
    .prepare(
      `SELECT (SELECT count(*) FROM entries WHERE status = 'pending') AS pending,
        (SELECT count(*) FROM entries WHERE status = 'leased') AS inFlight,
        (SELECT count(*) FROM entries WHERE status = 'delivered') AS delivered,
        0 AS dead, 0 AS evicted,
        (SELECT coalesce(sum(bytes), 0) FROM entries WHERE status IN ('pending', 'leased')) AS backlogBytes`,
    )
    .get();
  expect(stats).toEqual(recount);
}

describe('Outbox under SIGKILL', () => {
  let temp: TempDir;
  beforeAll(() => {
    temp = tempDir();
  });
  afterAll(() => temp.remove());

  it(`keeps every id reported by a recording child exactly once through ${LANES * KILLS_PER_LANE} kills`, async () => {
    const lane = async (laneIndex: number) => {
      const path = temp.path(`record-${laneIndex}.db`);
      const acknowledged: string[] = [];
      for (let kills = 0; kills < KILLS_PER_LANE; kills++) {
        const child = startChild(['record', path]);
        await child.until((lines) => lines.some((line) => line.startsWith('R ')), 60_000);
        await randomDelay(120);
        await kill(child);
        acknowledged.push(...reported(child.lines, 'R'));

        const outbox = openOutbox({ path });
        try {
          expectHealthy(outbox);
          const db = databaseOf(outbox);
          const copies = db.prepare('SELECT count(*) FROM entries WHERE id = ?').pluck();
          const recorded = db.prepare(
            "SELECT count(*) FROM lifecycle l JOIN entries e ON e.rk = l.rk WHERE e.id = ? AND l.type = 'Recorded'",
          );
          for (const id of acknowledged) {
            expect(copies.get(id), id).toBe(1);
            expect(recorded.pluck().get(id), id).toBe(1);
          }
          const last = acknowledged.at(-1)!;
          expect(outbox.get(last)).toMatchObject(fold(outbox.history(last).map((record) => record.event)));
        } finally {
          outbox.close();
        }
      }
      return acknowledged.length;
    };
    const counts = await Promise.all(Array.from({ length: LANES }, (_, index) => lane(index)));
    for (const count of counts) expect(count).toBeGreaterThan(KILLS_PER_LANE);
  }, 120_000);

  it('loses nothing when a child is killed in the middle of claim and settle; its leases expire', async () => {
    const lane = async (laneIndex: number) => {
      const path = temp.path(`churn-${laneIndex}.db`);
      const seed = openOutbox({ path });
      const all = seed.recordMany(Array.from({ length: 1000 }, (_, n) => sampleInput(n)));
      seed.close();
      const delivered = new Set<string>();
      for (let kills = 0; kills < CHURN_KILLS_PER_LANE; kills++) {
        const child = startChild(['churn', path, `worker-${kills}`]);
        await child.until((lines) => lines.some((line) => line.startsWith('C ')), 60_000);
        await randomDelay(60);
        // Killed as the next claim is reported, while the child holds those leases (25–50 ms) rather than in the
        // moment between a settle and the next claim: then the leases it leaves behind are there to expire.
        const claims = (lines: readonly string[]) => lines.filter((line) => line.startsWith('C ')).length;
        const before = claims(child.lines);
        await child.until((lines) => claims(lines) > before, 60_000);
        await kill(child);
        for (const id of reported(child.lines, 'D')) delivered.add(id);

        const outbox = openOutbox({ path });
        try {
          expectHealthy(outbox);
          for (const id of all) expect(['pending', 'leased', 'delivered']).toContain(outbox.get(id)?.status);
          for (const id of delivered) expect(outbox.get(id)?.status, id).toBe('delivered');
        } finally {
          outbox.close();
        }
      }

      // A minute later every lease the killed children held has run out: all undelivered entries are claimable.
      const later = openOutbox({ path, clock: () => Date.now() + 61_000 });
      try {
        const leased = all.filter((id) => later.get(id)?.status === 'leased');
        const undelivered = all.filter((id) => later.get(id)?.status !== 'delivered');
        expect(leased.length).toBeGreaterThan(0);
        const claimed = later.claim({ limit: 1000, leaseMs: 1000, owner: 'recovery' });
        expect(claimed.map((entry) => entry.id).sort()).toEqual([...undelivered].sort());
        for (const id of leased) expect(later.history(id).at(-2)?.event.type).toBe('LeaseExpired');
        later.settle(
          'recovery',
          claimed.map((entry) => ({ id: entry.id, type: 'delivered' as const, alreadyExisted: false })),
        );
        expect(later.stats()).toMatchObject({ delivered: 1000, pending: 0, inFlight: 0 });
        expectHealthy(later);
      } finally {
        later.close();
      }
    };
    await Promise.all(Array.from({ length: CHURN_LANES }, (_, index) => lane(index)));
  }, 120_000);
});
