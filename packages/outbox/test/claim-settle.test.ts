import { isHublineError } from '@hubline/core';
import { fold, type Settlement } from '@hubline/core/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLAIM_DUE_SQL, OLDEST_BACKLOG_SQL } from '../src/storage/statements.js';
import type { Outbox } from '../src/types.js';
import { databaseOf, openOutbox } from './inspect.js';
import { errorOf, manualClock, sampleInput, type TempDir, tempDir } from './support.js';

describe('Outbox.claim and Outbox.settle', () => {
  let temp: TempDir;
  let outbox: Outbox;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(() => {
    temp = tempDir();
    clock = manualClock();
    outbox = openOutbox({ path: temp.path(), clock: clock.now });
  });
  afterEach(() => {
    outbox.close();
    temp.remove();
  });

  function recordSpaced(n: number): string[] {
    return Array.from({ length: n }, (_, i) => {
      const id = outbox.record(sampleInput(i));
      clock.advance(10);
      return id;
    });
  }

  it('leases the oldest due entries to one owner and hands them out ready to send', () => {
    const ids = recordSpaced(5);
    const batch = outbox.claim({ limit: 3, leaseMs: 30_000, owner: 'a' });
    expect(batch.map((entry) => entry.id)).toEqual(ids.slice(0, 3));
    expect(batch[0]).toMatchObject({ attempts: 0, leaseUntil: clock.now() + 30_000 });
    expect(batch[0]?.event.email).toBe('visitor-0@example.com');
    expect(outbox.get(ids[0]!)).toMatchObject({ status: 'leased', leaseOwner: 'a' });
    expect(outbox.claim({ limit: 10, leaseMs: 30_000, owner: 'b' }).map((entry) => entry.id)).toEqual(
      ids.slice(3),
    );
    expect(outbox.claim({ limit: 10, leaseMs: 30_000, owner: 'c' })).toEqual([]);
    expect(outbox.stats()).toMatchObject({ pending: 0, inFlight: 5 });
  });

  it('hands out each event as its stored JSON, ready to put into a request body, and parses event only on read', () => {
    const [id] = recordSpaced(1);
    const [entry] = outbox.claim({ limit: 1, leaseMs: 30_000, owner: 'a' });
    const stored = databaseOf(outbox).prepare('SELECT event FROM entries WHERE id = ?').pluck().get(id);
    expect(entry!.json).toBe(stored);
    expect(Buffer.byteLength(entry!.json)).toBe(entry!.bytes);
    expect(JSON.parse(entry!.json)).toEqual(outbox.get(id!)!.event);
    expect(entry!.event).toBe(entry!.event); // parsed once, then kept
    expect(entry!.event).toEqual(outbox.get(id!)!.event);
    // A getter on the prototype: a spread copy carries the JSON, and the event only when named.
    expect(Object.keys(entry!)).toEqual([
      'id',
      'json',
      'attempts',
      'bytes',
      'recordedAt',
      'leaseUntil',
      'inDoubt',
      'account',
    ]);
    expect({ ...entry!, event: entry!.event }.event).toEqual(outbox.get(id!)!.event);
  });

  it('settles a large batch of mixed outcomes in one call, each exactly as if settled alone', () => {
    outbox.recordMany(Array.from({ length: 150 }, (_, n) => sampleInput(n)));
    const batch = outbox.claim({ limit: 150, leaseMs: 1000, owner: 'a' });
    const result = outbox.settle(
      'a',
      batch.map((entry, n) =>
        n % 3 === 0
          ? { id: entry.id, type: 'delivered' as const, alreadyExisted: n % 2 === 0 }
          : n % 3 === 1
            ? {
                id: entry.id,
                type: 'failed' as const,
                reason: 'busy',
                status: 503,
                countsAsAttempt: true,
                delayMs: 500,
                maxAttempts: n % 2 === 0 ? 1 : 5,
              }
            : { id: entry.id, type: 'dead' as const, category: 'X', message: 'refused', status: 400 },
      ),
    );
    expect(result.applied).toHaveLength(150);
    expect(result.lost).toEqual([]);
    batch.forEach((entry, n) => {
      const stored = outbox.get(entry.id)!;
      const expected = n % 3 === 0 ? 'delivered' : n % 3 === 1 ? (n % 2 === 0 ? 'dead' : 'pending') : 'dead';
      expect(stored.status).toBe(expected);
      expect(stored).toMatchObject(fold(outbox.history(entry.id).map((record) => record.event)));
    });
    expect(result.deadLettered).toHaveLength(
      batch.filter((_, n) => n % 3 === 2 || (n % 3 === 1 && n % 2 === 0)).length,
    );
    expect(outbox.stats()).toMatchObject({ pending: 25, inFlight: 0, delivered: 50, dead: 75 });
  });

  it('applies an id settled twice in one call once and refuses the second, as two calls would', () => {
    const [id] = recordSpaced(1);
    outbox.claim({ limit: 1, leaseMs: 1000, owner: 'a' });
    const result = outbox.settle('a', [
      { id: id!, type: 'delivered', alreadyExisted: false },
      { id: id!, type: 'dead', category: 'X', message: 'late' },
      { id: 'never-recorded', type: 'delivered', alreadyExisted: false },
    ]);
    expect(result).toEqual({ applied: [id], lost: [id, 'never-recorded'], deadLettered: [] });
    expect(outbox.history(id!).map((record) => record.event.type)).toEqual([
      'Recorded',
      'Claimed',
      'Delivered',
    ]);
    expect(outbox.stats()).toMatchObject({ delivered: 1, dead: 0 });
  });

  it('stops at maxBytes but always returns at least one due entry', () => {
    recordSpaced(4);
    const one = outbox.claim({ limit: 10, maxBytes: 1, leaseMs: 1000, owner: 'a' });
    expect(one).toHaveLength(1);
    const size = one[0]!.bytes;
    expect(outbox.claim({ limit: 10, maxBytes: size * 2 + 1, leaseMs: 1000, owner: 'a' })).toHaveLength(2);
  });

  it('takes over an expired lease, recording LeaseExpired for the old owner', () => {
    const [id] = recordSpaced(1);
    outbox.claim({ limit: 1, leaseMs: 1000, owner: 'crashed' });
    clock.advance(999);
    expect(outbox.claim({ limit: 1, leaseMs: 1000, owner: 'b' })).toEqual([]);
    expect(outbox.nextDueIn()).toBe(1);
    clock.advance(1);
    expect(outbox.claim({ limit: 1, leaseMs: 1000, owner: 'b' }).map((entry) => entry.id)).toEqual([id]);
    expect(outbox.history(id!).map((record) => record.event.type)).toEqual([
      'Recorded',
      'Claimed',
      'LeaseExpired',
      'Claimed',
    ]);
    expect(outbox.history(id!)[2]?.event).toMatchObject({ owner: 'crashed' });
  });

  it('refuses to settle a lease lost to another owner, and never applies a settlement twice', () => {
    const [id] = recordSpaced(1);
    outbox.claim({ limit: 1, leaseMs: 1000, owner: 'slow' });
    clock.advance(2000);
    outbox.claim({ limit: 1, leaseMs: 1000, owner: 'fast' });
    const late = outbox.settle('slow', [{ id: id!, type: 'delivered', alreadyExisted: false }]);
    expect(late).toEqual({ applied: [], lost: [id], deadLettered: [] });
    expect(outbox.settle('fast', [{ id: id!, type: 'delivered', alreadyExisted: false }]).applied).toEqual([
      id,
    ]);
    expect(outbox.settle('fast', [{ id: id!, type: 'delivered', alreadyExisted: false }]).lost).toEqual([id]);
    expect(outbox.settle('fast', [{ id: 'unknown', type: 'delivered', alreadyExisted: false }]).lost).toEqual(
      ['unknown'],
    );
    expect(outbox.stats()).toMatchObject({ pending: 0, inFlight: 0, delivered: 1, backlogBytes: 0 });
  });

  it('refuses a settle whose lease another connection took over, though this connection noted the lease', () => {
    const other = openOutbox({ path: temp.path(), clock: clock.now });
    try {
      const [first, second] = recordSpaced(2);
      outbox.claim({ limit: 2, leaseMs: 1000, owner: 'slow' });
      clock.advance(2000);
      expect(other.claim({ limit: 1, leaseMs: 1000, owner: 'fast' }).map((entry) => entry.id)).toEqual([
        first,
      ]);
      const late = outbox.settle('slow', [
        { id: first!, type: 'delivered', alreadyExisted: false },
        { id: second!, type: 'delivered', alreadyExisted: false },
      ]);
      expect(late).toEqual({ applied: [second], lost: [first], deadLettered: [] });
      expect(
        other.settle('fast', [{ id: first!, type: 'delivered', alreadyExisted: false }]).applied,
      ).toEqual([first]);
      expect(outbox.history(first!).map((record) => record.event.type)).toEqual([
        'Recorded',
        'Claimed',
        'LeaseExpired',
        'Claimed',
        'Delivered',
      ]);
      expect(other.stats()).toMatchObject({ pending: 0, inFlight: 0, delivered: 2 });
    } finally {
      other.close();
    }
  });

  it('settles a lease that ran out but was not taken over', () => {
    const [id] = recordSpaced(1);
    outbox.claim({ limit: 1, leaseMs: 1000, owner: 'a' });
    clock.advance(5000);
    expect(outbox.settle('a', [{ id: id!, type: 'delivered', alreadyExisted: true }]).applied).toEqual([id]);
  });

  it('puts a failed entry back with its next attempt time, counting the attempt only when asked', () => {
    const [id] = recordSpaced(1);
    outbox.claim({ limit: 1, leaseMs: 1000, owner: 'a' });
    const retryAt = clock.now() + 60_000;
    outbox.settle('a', [
      { id: id!, type: 'failed', reason: '503', status: 503, countsAsAttempt: true, delayMs: 60_000 },
    ]);
    expect(outbox.get(id!)).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: retryAt,
      lastError: '503',
    });
    expect(outbox.nextDueIn()).toBe(retryAt - clock.now());
    expect(outbox.claim({ limit: 1, leaseMs: 1000, owner: 'a' })).toEqual([]);
    clock.advance(60_000);
    expect(outbox.claim({ limit: 1, leaseMs: 1000, owner: 'a' })[0]?.attempts).toBe(1);
  });

  it('dead-letters when a counted failure uses the last of maxAttempts', () => {
    const [id] = recordSpaced(1);
    outbox.claim({ limit: 1, leaseMs: 1000, owner: 'a' });
    const result = outbox.settle('a', [
      {
        id: id!,
        type: 'failed',
        reason: '500',
        countsAsAttempt: true,
        delayMs: 0,
        maxAttempts: 1,
      },
    ]);
    expect(result.deadLettered).toEqual([id]);
    expect(outbox.get(id!)?.status).toBe('dead');
  });

  it('lists dead letters oldest first and requeues them as pending with a fresh attempt budget', () => {
    const ids = recordSpaced(3);
    outbox.claim({ limit: 3, leaseMs: 1000, owner: 'a' });
    const dead = (id: string) => ({
      id,
      type: 'dead' as const,
      category: 'VALIDATION_ERROR',
      message: 'bad token',
      status: 400,
    });
    expect(outbox.settle('a', [dead(ids[2]!), dead(ids[0]!)]).deadLettered).toEqual([ids[2], ids[0]]);
    expect(outbox.listDead().map((entry) => entry.id)).toEqual([ids[0], ids[2]]);
    expect(outbox.listDead({ afterId: ids[0]!, limit: 5 }).map((entry) => entry.id)).toEqual([ids[2]]);
    expect(outbox.listDead()[0]?.lastError).toMatch(/bad token/);
    expect(outbox.stats().dead).toBe(2);
    const signals: number[] = [];
    outbox.changes$.subscribe((n) => signals.push(n));
    expect(outbox.requeue([ids[0]!, ids[1]!])).toBe(1); // ids[1] is leased, not dead
    expect(outbox.requeue('all-dead')).toBe(1);
    expect(signals).toEqual([1, 1]);
    expect(outbox.get(ids[0]!)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(outbox.stats()).toMatchObject({ dead: 0, pending: 2, inFlight: 1 });
  });

  it('requeues every dead letter, however many, with all-dead', () => {
    outbox.recordMany(Array.from({ length: 2500 }, (_, n) => sampleInput(n)));
    const batch = outbox.claim({ limit: 2500, leaseMs: 1000, owner: 'a' });
    outbox.settle(
      'a',
      batch.map((entry) => ({ id: entry.id, type: 'dead' as const, category: 'X', message: 'refused' })),
    );
    expect(outbox.stats().dead).toBe(2500);
    expect(outbox.requeue('all-dead')).toBe(2500);
    expect(outbox.stats()).toMatchObject({ dead: 0, pending: 2500 });
  });

  it('answers nextDueIn with the time to the earliest pending attempt or lease expiry, 0 when due, null when nothing waits', () => {
    expect(outbox.nextDueIn()).toBeNull();
    const [id] = recordSpaced(1);
    expect(outbox.nextDueIn()).toBe(0); // due 10 ms ago
    outbox.claim({ limit: 1, leaseMs: 5000, owner: 'a' });
    expect(outbox.nextDueIn()).toBe(5000);
    outbox.settle('a', [{ id: id!, type: 'delivered', alreadyExisted: false }]);
    expect(outbox.nextDueIn()).toBeNull();
  });

  it('keeps stats exact: counts, oldest pending age and backlog bytes', () => {
    const ids = recordSpaced(4);
    clock.advance(1000);
    const [first, second] = outbox.claim({ limit: 2, leaseMs: 1000, owner: 'a' });
    outbox.settle('a', [{ id: first!.id, type: 'delivered', alreadyExisted: false }]);
    const stats = outbox.stats();
    const bytes = ids.slice(1).reduce((sum, id) => sum + outbox.get(id)!.bytes, 0);
    expect(stats).toEqual({
      pending: 2,
      inFlight: 1,
      delivered: 1,
      dead: 0,
      evicted: 0,
      oldestPendingAgeMs: clock.now() - second!.recordedAt,
      backlogBytes: bytes,
    });
  });

  it('prunes delivered entries and their history older than the retention period (7 days by default)', () => {
    const ids = recordSpaced(3);
    outbox.claim({ limit: 2, leaseMs: 1000, owner: 'a' });
    outbox.settle('a', [{ id: ids[0]!, type: 'delivered', alreadyExisted: false }]);
    clock.advance(7 * 24 * 3600 * 1000 - 1);
    expect(outbox.prune()).toBe(0);
    clock.advance(2);
    expect(outbox.prune()).toBe(1);
    expect(outbox.get(ids[0]!)).toBeUndefined();
    expect(outbox.history(ids[0]!)).toEqual([]);
    expect(outbox.get(ids[1]!)?.status).toBe('leased');
    expect(outbox.stats().delivered).toBe(0);
    expect(databaseOf(outbox).prepare('SELECT count(*) FROM lifecycle').pluck().get()).toBe(2 + 1);
  });

  it('forgets a pruned id: recording it again makes a new entry', () => {
    const input = sampleInput(1, { id: 'visit-1' });
    outbox.record(input);
    const [entry] = outbox.claim({ limit: 1, leaseMs: 1000, owner: 'a' });
    outbox.settle('a', [{ id: entry!.id, type: 'delivered', alreadyExisted: false }]);
    outbox.record(sampleInput(2)); // the newest entry is never pruned
    clock.advance(1000);
    expect(outbox.prune({ olderThanMs: 0 })).toBe(1);
    expect(outbox.get('visit-1')).toBeUndefined();
    expect(outbox.record(input)).toBe('visit-1');
    expect(outbox.get('visit-1')?.status).toBe('pending');
    expect(outbox.history('visit-1').map((record) => record.event.type)).toEqual(['Recorded']);
  });

  it('keeps the newest entry through prune, and its stats stay exact after more records', () => {
    const ids = recordSpaced(3);
    const batch = outbox.claim({ limit: 3, leaseMs: 1000, owner: 'a' });
    outbox.settle(
      'a',
      batch.map((entry) => ({ id: entry.id, type: 'delivered' as const, alreadyExisted: false })),
    );
    clock.advance(10);
    expect(outbox.prune({ olderThanMs: 0 })).toBe(2);
    expect(outbox.get(ids[2]!)?.status).toBe('delivered');
    expect(outbox.stats()).toMatchObject({ pending: 0, inFlight: 0, delivered: 1, backlogBytes: 0 });
    const [next] = recordSpaced(1);
    expect(outbox.stats()).toMatchObject({
      pending: 1,
      delivered: 1,
      backlogBytes: outbox.get(next!)!.bytes,
    });
  });

  it('rebuilds a damaged projection from the lifecycle log', () => {
    const ids = recordSpaced(3);
    outbox.claim({ limit: 2, leaseMs: 1000, owner: 'a' });
    outbox.settle('a', [{ id: ids[0]!, type: 'delivered', alreadyExisted: false }]);
    const before = ids.map((id) => outbox.get(id));
    const stats = outbox.stats();
    databaseOf(outbox).exec(
      "UPDATE entries SET status = 'dead', attempts = 9, lease_owner = NULL; UPDATE counters SET pending = 77",
    );
    outbox.rebuildProjection();
    expect(ids.map((id) => outbox.get(id))).toEqual(before);
    expect(outbox.stats()).toEqual(stats);
    for (const id of ids) expect(outbox.get(id)).toMatchObject(fold(outbox.history(id).map((r) => r.event)));
  });

  it('rebuilds in one transaction: a log it cannot fold leaves every projection as it was', () => {
    const ids = recordSpaced(3);
    const db = databaseOf(outbox);
    db.exec('UPDATE entries SET attempts = 9; UPDATE counters SET pending = 77');
    const damaged = ids.map((id) => outbox.get(id));
    // The last entry's log gains a Delivered that cannot follow Recorded (it was never claimed).
    db.prepare(
      'INSERT INTO lifecycle (rk, seq, type, at, data) SELECT rk, 2, \'Delivered\', ?, \'{"owner":"x","alreadyExisted":false}\' FROM entries WHERE id = ?',
    ).run(clock.now(), ids[2]);
    expect(() => outbox.rebuildProjection()).toThrow(/Illegal lifecycle transition/);
    // The first two entries were rebuilt before the third failed, and rolled back with it.
    expect(ids.map((id) => outbox.get(id))).toEqual(damaged);
    expect(db.prepare('SELECT pending FROM counters').pluck().get()).toBe(77);
  });

  it('refuses impossible claim options naming the field', () => {
    try {
      outbox.claim({ limit: 0, leaseMs: 1000, owner: 'a' });
      expect.unreachable();
    } catch (error) {
      expect(isHublineError(error, 'VALIDATION_FAILED')).toBe(true);
      expect((error as Error).message).toMatch(/limit/);
    }
    expect(() => outbox.claim({ limit: 1, leaseMs: 0, owner: 'a' })).toThrow(/leaseMs/);
  });

  it('refuses a malformed settlement naming its index and field, before changing anything', () => {
    recordSpaced(2);
    const batch = outbox.claim({ limit: 2, leaseMs: 30_000, owner: 'a' });
    const [first, second] = batch.map((entry) => entry.id) as [string, string];
    const refused = (settlements: unknown, owner: unknown = 'a') => {
      const error = errorOf(() => outbox.settle(owner as string, settlements as Settlement[]));
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      return (error as Error).message;
    };
    const delivered = { id: first, type: 'delivered', alreadyExisted: false };
    const failed = {
      id: second,
      type: 'failed',
      reason: 'busy',
      countsAsAttempt: true,
      delayMs: 0,
    };
    expect(refused([delivered, { ...failed, type: 'bogus' }])).toMatch(
      /\[1\]\.type: must be "delivered", "failed" or "dead"/,
    );
    expect(refused([delivered, { ...failed, delayMs: Number.NaN }])).toMatch(
      /\[1\]\.delayMs: must be a number of ms/,
    );
    expect(refused([delivered, { ...failed, countsAsAttempt: 'yes' }])).toMatch(/\[1\]\.countsAsAttempt/);
    expect(refused([delivered, { ...failed, maxAttempts: 0 }])).toMatch(/\[1\]\.maxAttempts/);
    expect(refused([{ ...delivered, id: 42 }])).toMatch(/\[0\]\.id: must be a non-empty string/);
    expect(refused([{ id: first, type: 'delivered' }])).toMatch(/\[0\]\.alreadyExisted/);
    expect(refused([{ id: first, type: 'dead', message: 'no' }])).toMatch(/\[0\]\.category/);
    expect(refused([{ id: first, type: 'dead', category: 'X', message: 'no', status: '400' }])).toMatch(
      /\[0\]\.status/,
    );
    expect(refused([null])).toMatch(/\[0\]: must be an object/);
    expect(refused('delivered')).toMatch(/settlements.*must be an array/s);
    expect(refused([delivered], '')).toMatch(/owner: must be a non-empty string/);
    // Nothing was applied, not even the valid settlement before the bad one.
    expect(outbox.get(first)).toMatchObject({ status: 'leased', leaseOwner: 'a' });
    expect(outbox.history(first)).toHaveLength(2);
    expect(outbox.stats()).toMatchObject({ inFlight: 2, delivered: 0 });
    expect(outbox.settle('a', [delivered as Settlement, failed as Settlement]).applied).toEqual([
      first,
      second,
    ]);
  });

  it('claims by walking the due index in ORDER BY order, with no temporary B-tree', () => {
    outbox.recordMany(Array.from({ length: 2000 }, (_, n) => sampleInput(n)));
    const db = databaseOf(outbox);
    db.exec('ANALYZE');
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${CLAIM_DUE_SQL}`).all('default', clock.now(), 100) as {
        detail: string;
      }[]
    )
      .map((row) => row.detail)
      .join('\n');
    // A claim is of one account: it walks that account's stretch of the due index.
    expect(plan).toMatch(/SEARCH entries USING INDEX entries_account_due_idx \(account=\? AND due_at<\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    expect(plan).not.toMatch(/SCAN/);
    // stats() reads the counters row and the first entry of the backlog index: no scan either.
    const statsPlan = (db.prepare(`EXPLAIN QUERY PLAN ${OLDEST_BACKLOG_SQL}`).all() as { detail: string }[])
      .map((row) => row.detail)
      .join('\n');
    expect(statsPlan).toMatch(/entries_backlog_idx/);
    expect(statsPlan).not.toMatch(/TEMP B-TREE|SCAN entries$/m);
  });
});
