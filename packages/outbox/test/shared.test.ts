import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOutbox } from '../src/open-outbox.js';
import { kill, startChild } from './child-process.js';
import { sampleInput, type TempDir, tempDir } from './support.js';

describe('Outbox shared by several claimers', () => {
  let temp: TempDir;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.remove());

  it('never lets two processes hold the same entry: each entry is claimed exactly once', async () => {
    const path = temp.path();
    const seed = openOutbox({ path });
    const ids = seed.recordMany(Array.from({ length: 3000 }, (_, n) => sampleInput(n)));
    seed.close();
    const children = [startChild(['drain', path, 'p1']), startChild(['drain', path, 'p2'])];
    await Promise.all(children.map((child) => child.until((lines) => lines.includes('READY'))));
    for (const child of children) child.process.stdin?.write('go\n');
    await Promise.all(children.map((child) => child.until((lines) => lines.includes('DONE'), 30_000)));
    const claims = children.map((child) =>
      child.lines.filter((line) => line.startsWith('C ')).map((l) => l.slice(2)),
    );
    // Both took part: a test where one child drained everything would prove nothing about sharing.
    for (const claimed of claims) expect(claimed.length).toBeGreaterThan(0);
    const everything = claims.flat();
    expect(new Set(everything).size).toBe(everything.length);
    expect(everything.sort()).toEqual([...ids].sort());
    const check = openOutbox({ path });
    expect(check.stats()).toMatchObject({ delivered: 3000, pending: 0, inFlight: 0 });
    check.close();
  }, 60_000);

  it('lets several processes create and migrate a new file at the same moment', async () => {
    const path = temp.path();
    const children = [1, 2, 3].map(() => startChild(['record', path]));
    await Promise.all(
      children.map((child) =>
        child.until((lines) => lines.filter((line) => line.startsWith('R ')).length >= 20),
      ),
    );
    await Promise.all(children.map(kill));
    const outbox = openOutbox({ path });
    const reported = children.flatMap((child) =>
      child.lines.filter((l) => l.startsWith('R ')).map((l) => l.slice(2)),
    );
    for (const id of reported) expect(outbox.get(id)?.status).toBe('pending');
    expect(outbox.stats().pending).toBeGreaterThanOrEqual(reported.length);
    outbox.close();
  }, 60_000);

  it('never lets two outboxes in one process hold the same entry', () => {
    const path = temp.path();
    const a = openOutbox({ path });
    const b = openOutbox({ path });
    const ids = a.recordMany(Array.from({ length: 200 }, (_, n) => sampleInput(n)));
    const seen: string[] = [];
    for (;;) {
      const fromA = a.claim({ limit: 7, leaseMs: 60_000, owner: 'a' });
      const fromB = b.claim({ limit: 5, leaseMs: 60_000, owner: 'b' });
      if (fromA.length + fromB.length === 0) break;
      seen.push(...fromA.map((entry) => entry.id), ...fromB.map((entry) => entry.id));
      expect(
        b.settle(
          'b',
          fromA.map((entry) => ({ id: entry.id, type: 'delivered' as const, alreadyExisted: false })),
        ).lost,
      ).toHaveLength(fromA.length);
      a.settle(
        'a',
        fromA.map((entry) => ({ id: entry.id, type: 'delivered' as const, alreadyExisted: false })),
      );
      b.settle(
        'b',
        fromB.map((entry) => ({ id: entry.id, type: 'delivered' as const, alreadyExisted: false })),
      );
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual([...ids].sort());
    a.close();
    b.close();
  });
});
