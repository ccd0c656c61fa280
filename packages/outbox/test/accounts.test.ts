import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS_DUE_SQL } from '../src/storage/statements.js';
import type { Outbox } from '../src/types.js';
import { databaseOf, openOutbox } from './inspect.js';
import { manualClock, sampleInput, type TempDir, tempDir } from './support.js';

describe('the SQLite outbox with many accounts', () => {
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

  it('answers accountsDue at 1,000 accounts from one counters row and one index lookup per account', () => {
    const inputs = Array.from({ length: 3_000 }, (_, n) =>
      sampleInput(n, { account: `portal-${n % 1_000}` }),
    );
    outbox.recordMany(inputs);
    // A thousand accounts' entries delivered, so that most of the file is not due at all.
    for (let n = 0; n < 20; n++) {
      const claimed = outbox.claim({ limit: 50, leaseMs: 30_000, owner: 'a', account: `portal-${n}` });
      outbox.settle(
        'a',
        claimed.map((entry) => ({ id: entry.id, type: 'delivered', alreadyExisted: false }) as const),
      );
    }
    const db = databaseOf(outbox);
    db.exec('ANALYZE');
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${ACCOUNTS_DUE_SQL}`).all() as { detail: string }[])
      .map((row) => row.detail)
      .join('\n');
    expect(plan).toMatch(/SCAN a\b/);
    expect(plan).toMatch(
      /SEARCH e USING COVERING INDEX entries_account_due_idx \(account=\? AND due_at>\?\)/,
    );
    expect(plan).not.toMatch(/SCAN (e|entries)\b/);
    const due = outbox.accountsDue();
    expect(due).toHaveLength(980);
    expect(due.every((account) => account.dueIn === 0)).toBe(true);
    expect(due.map((account) => account.account)).not.toContain('portal-0');
  });

  it('keeps each account counted through claims, settles, requeues, discards, prunes and a rebuild', () => {
    const ids = outbox.recordMany([
      sampleInput(1, { account: 'a' }),
      sampleInput(2, { account: 'a' }),
      sampleInput(3, { account: 'b' }),
    ]);
    const [first] = outbox.claim({ limit: 1, leaseMs: 1_000, owner: 'x', account: 'a' });
    outbox.settle('x', [{ id: first!.id, type: 'dead', category: 'VALIDATION_ERROR', message: 'no' }]);
    outbox.requeue({ account: 'a' }, { by: 'ops' });
    const [again] = outbox.claim({ limit: 5, leaseMs: 1_000, owner: 'x', account: 'a' });
    outbox.settle('x', [{ id: again!.id, type: 'delivered', alreadyExisted: false }]);
    outbox.discard({ account: 'b' });
    const before = { a: outbox.stats('a'), b: outbox.stats('b'), total: outbox.stats() };
    expect(before.a).toMatchObject({ pending: 0, inFlight: 1, delivered: 1, dead: 0 });
    expect(before.b).toMatchObject({ pending: 0, evicted: 1 });
    outbox.rebuildProjection();
    expect({ a: outbox.stats('a'), b: outbox.stats('b'), total: outbox.stats() }).toEqual(before);
    clock.advance(1_000);
    // The delivered entry goes; the evicted one is the newest row, which carries the running totals and stays.
    expect(outbox.prune({ olderThanMs: 0 })).toBe(1);
    expect(outbox.stats('a')).toMatchObject({ delivered: 0, inFlight: 1 });
    expect(outbox.get(ids[2]!)?.status).toBe('evicted');
  });
});
