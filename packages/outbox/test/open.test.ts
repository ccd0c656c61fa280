import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHublineError } from '@hubline/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTBOX_DEFAULTS } from '../src/options/defaults.js';
import { currentSchemaVersion } from '../src/storage/migrate.js';
import { kill, NEWER_SCHEMA_CHILD, ROLLBACK_WRITER_CHILD, startChild } from './child-process.js';
import { databaseOf, openOutbox } from './inspect.js';
import { childArgs, errorOf, sampleInput, type TempDir, tempDir } from './support.js';

/**
 * What the migrations after release 0.1.0 (schema 5) added, undone: how the tests below turn a file written now
 * into one of an older schema. `test/upgrade.test.ts` opens a real file written by 0.1.0.
 */
const UNDO_AFTER_RELEASE_0_1_0 =
  'DROP INDEX entries_account_due_idx; DROP INDEX entries_account_backlog_idx; ALTER TABLE entries DROP COLUMN account; DROP TABLE account_counters; DROP TABLE budget_slots; ' +
  'ALTER TABLE entries DROP COLUMN in_doubt; DROP TABLE budgets; ALTER TABLE counters DROP COLUMN clock_high_water; DROP TABLE owners;';

describe('openOutbox', () => {
  let temp: TempDir;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.remove());

  it('creates a new database file, and its -wal and -shm, readable and writable by the owner only', () => {
    const path = temp.path();
    const outbox = openOutbox({ path });
    outbox.record(sampleInput(1));
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      expect(existsSync(file), file).toBe(true);
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
    }
    outbox.close();
  });

  it('uses WAL with synchronous NORMAL by default and FULL for durability "full", and the busy timeout given', () => {
    const normal = openOutbox({ path: temp.path('normal.db') });
    const full = openOutbox({ path: temp.path('full.db'), durability: 'full', busyTimeoutMs: 1234 });
    const probe = (file: string) => {
      const db = new Database(file);
      const mode = db.pragma('journal_mode', { simple: true });
      db.close();
      return mode;
    };
    expect(probe(temp.path('normal.db'))).toBe('wal');
    expect(probe(temp.path('full.db'))).toBe('wal');
    // PRAGMA synchronous: 1 is NORMAL, 2 is FULL.
    expect(databaseOf(normal).pragma('synchronous', { simple: true })).toBe(1);
    expect(databaseOf(full).pragma('synchronous', { simple: true })).toBe(2);
    expect(databaseOf(normal).pragma('busy_timeout', { simple: true })).toBe(OUTBOX_DEFAULTS.busyTimeoutMs);
    expect(databaseOf(full).pragma('busy_timeout', { simple: true })).toBe(1234);
    normal.close();
    full.close();
  });

  it('waits out the busy timeout for a write lock held elsewhere, then fails with a clear STORAGE_FAILED', () => {
    const path = temp.path();
    const busyTimeoutMs = 150;
    const outbox = openOutbox({ path, busyTimeoutMs });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    const error = errorOf(() => outbox.record(sampleInput(1)));
    const waited = performance.now() - started;
    expect(isHublineError(error, 'STORAGE_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/held the write lock longer than the busy timeout/);
    // SQLite's busy handler sleeps until the timeout has passed; it must not give up at once.
    expect(waited).toBeGreaterThanOrEqual(busyTimeoutMs * 0.9);
    other.exec('COMMIT');
    other.close();
    const id = outbox.record(sampleInput(1));
    expect(outbox.stats().pending).toBe(1);
    expect(outbox.get(id)?.status).toBe('pending');
    outbox.close();
  });

  it('keeps what was recorded across close and reopen', () => {
    const path = temp.path();
    const first = openOutbox({ path });
    const id = first.record(sampleInput(1));
    first.close();
    const second = openOutbox({ path });
    expect(second.get(id)?.event.email).toBe('visitor-1@example.com');
    expect(second.stats().pending).toBe(1);
    second.close();
  });

  it('migrates a database from an older schema, keeping its stats exact', () => {
    const path = temp.path();
    const clock = () => Date.UTC(2026, 10, 29, 12);
    const outbox = openOutbox({ path, clock });
    const ids = outbox.recordMany([sampleInput(1), sampleInput(2), sampleInput(3)]);
    const expected = outbox.stats();
    outbox.close();
    // Back to schema 2, before the running totals: counters held the recorded count and bytes.
    const db = new Database(path);
    db.exec(`${UNDO_AFTER_RELEASE_0_1_0}
      ALTER TABLE entries DROP COLUMN total_count; ALTER TABLE entries DROP COLUMN total_bytes;
      UPDATE counters SET pending = 3, backlog_bytes = ${expected.backlogBytes}; PRAGMA user_version = 2;`);
    db.close();
    const migrated = openOutbox({ path, clock });
    expect(migrated.stats()).toEqual(expected);
    migrated.record(sampleInput(4));
    expect(migrated.stats().pending).toBe(4);
    expect(migrated.get(ids[0]!)?.status).toBe('pending');
    migrated.close();
  });

  it('migrates lifecycle records that kept type and time in their data, and reads the same history', () => {
    const path = temp.path();
    const clock = () => Date.UTC(2026, 10, 29, 12);
    const outbox = openOutbox({ path, clock });
    const [id] = outbox.recordMany([sampleInput(1)]);
    const [claimed] = outbox.claim({ limit: 1, leaseMs: 1000, owner: 'a' });
    outbox.settle('a', [{ id: claimed!.id, type: 'delivered', alreadyExisted: false }]);
    const history = outbox.history(id!);
    outbox.close();
    // Back to schema 4: each record's data held the whole event, type and time included.
    const db = new Database(path);
    db.exec(`${UNDO_AFTER_RELEASE_0_1_0}
      UPDATE lifecycle SET data = json_patch(json_object('type', type, 'at', at), data);
      PRAGMA user_version = 4;`);
    expect(db.prepare('SELECT data FROM lifecycle ORDER BY seq LIMIT 1').pluck().get()).toContain('"type"');
    db.close();
    const migrated = openOutbox({ path, clock });
    expect(migrated.history(id!)).toEqual(history);
    const data = databaseOf(migrated).prepare('SELECT data FROM lifecycle').pluck().all() as string[];
    expect(data.every((text) => !text.includes('"type"') && !text.includes('"at"'))).toBe(true);
    migrated.rebuildProjection();
    expect(migrated.get(id!)?.status).toBe('delivered');
    migrated.close();
  });

  it('refuses a database from a newer schema with SCHEMA_TOO_NEW and leaves the file unchanged', () => {
    const path = temp.path();
    openOutbox({ path }).close();
    const db = new Database(path);
    db.pragma(`user_version = ${currentSchemaVersion() + 1}`);
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    const error = errorOf(() => openOutbox({ path }));
    expect(isHublineError(error, 'SCHEMA_TOO_NEW')).toBe(true);
    expect((error as Error).message).toMatch(/newer/);
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses a newer schema left in the WAL by a crashed process, changing neither the file nor its WAL', async () => {
    const path = temp.path();
    openOutbox({ path }).close();
    const child = startChild([path], NEWER_SCHEMA_CHILD);
    await child.until((lines) => lines.includes('WROTE'));
    await kill(child);
    const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    const before = { main: hash(path), wal: hash(`${path}-wal`) };
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);

    const error = errorOf(() => openOutbox({ path }));
    expect(isHublineError(error, 'SCHEMA_TOO_NEW')).toBe(true);
    expect((error as Error).message).toMatch(/schema version 99/);
    expect({ main: hash(path), wal: existsSync(`${path}-wal`) ? hash(`${path}-wal`) : 'deleted' }).toEqual(
      before,
    );
    // Refused again, the same way: the newer version's commit is still there for it to find.
    expect(
      isHublineError(
        errorOf(() => openOutbox({ path })),
        'SCHEMA_TOO_NEW',
      ),
    ).toBe(true);
  }, 60_000);

  it('opens a file that another tool left with a hot rollback journal, rolling that transaction back', () => {
    const path = temp.path();
    const first = openOutbox({ path });
    const id = first.record(sampleInput(1));
    first.close();
    const child = spawnSync(process.execPath, [...childArgs(ROLLBACK_WRITER_CHILD), path]);
    expect(child.signal).toBe('SIGKILL');
    expect(statSync(`${path}-journal`).size).toBeGreaterThan(0);

    const outbox = openOutbox({ path });
    expect(outbox.get(id)?.status).toBe('pending');
    const db = databaseOf(outbox);
    expect(db.prepare('SELECT count(*) FROM scratch').pluck().get()).toBe(0);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    outbox.close();
  }, 60_000);

  it('fails with a clear STORAGE_FAILED error on a corrupt file', () => {
    const path = temp.path();
    writeFileSync(path, Buffer.alloc(8192, 0x5a));
    const error = errorOf(() => openOutbox({ path }));
    expect(isHublineError(error, 'STORAGE_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/not a SQLite database/);
  });

  it('opens a file with a valid header and garbage pages unless asked to check it (integrityCheck)', () => {
    const path = temp.path();
    const outbox = openOutbox({ path });
    outbox.recordMany(Array.from({ length: 300 }, (_, n) => sampleInput(n)));
    outbox.close();
    // Keep page 1 (header and schema), overwrite every other page with garbage.
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    expect(bytes.length / pageSize).toBeGreaterThan(4);
    bytes.fill(0x5a, pageSize);
    writeFileSync(path, bytes);

    // The default ('off') opens it: only a later call finds the damage.
    const unchecked = openOutbox({ path });
    const later = errorOf(() => unchecked.claim({ limit: 10, leaseMs: 1000, owner: 'a' }));
    expect(isHublineError(later, 'STORAGE_FAILED')).toBe(true);
    // The same plain words through the cold paths' query builder, without its query text.
    for (const call of [() => unchecked.listDead(), () => unchecked.history('x'), () => unchecked.prune()]) {
      const error = errorOf(call);
      expect(isHublineError(error, 'STORAGE_FAILED')).toBe(true);
      expect((error as Error).message).toMatch(/the database file is corrupt/);
      expect((error as Error).message).not.toMatch(/Failed query|select/i);
    }
    unchecked.close();

    for (const integrityCheck of ['quick', 'full'] as const) {
      const error = errorOf(() => openOutbox({ path, integrityCheck }));
      expect(isHublineError(error, 'STORAGE_FAILED'), integrityCheck).toBe(true);
      expect((error as Error).message).toMatch(
        integrityCheck === 'quick' ? /failed its quick_check/ : /failed its integrity_check/,
      );
    }
  });

  it('opens a healthy file with either integrity check', () => {
    const path = temp.path();
    const first = openOutbox({ path });
    const id = first.record(sampleInput(1));
    first.close();
    for (const integrityCheck of ['quick', 'full'] as const) {
      const outbox = openOutbox({ path, integrityCheck });
      expect(outbox.get(id)?.status).toBe('pending');
      outbox.close();
    }
    const error = errorOf(() => openOutbox({ path, integrityCheck: 'always' as never }));
    expect(isHublineError(error, 'VALIDATION_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/integrityCheck/);
  });

  it('fails with a clear STORAGE_FAILED error on a directory', () => {
    const error = errorOf(() => openOutbox({ path: temp.dir }));
    expect(isHublineError(error, 'STORAGE_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/directory/);
  });

  it('fails with a clear STORAGE_FAILED error on a path that cannot be written', () => {
    const missingFolder = errorOf(() => openOutbox({ path: join(temp.dir, 'missing', 'outbox.db') }));
    expect(isHublineError(missingFolder, 'STORAGE_FAILED')).toBe(true);
    writeFileSync(temp.path('a-file'), 'x');
    const underAFile = errorOf(() => openOutbox({ path: join(temp.path('a-file'), 'outbox.db') }));
    expect(isHublineError(underAFile, 'STORAGE_FAILED')).toBe(true);
  });

  it('refuses impossible options naming the field', () => {
    const error = errorOf(() => openOutbox({ path: ':memory:', maxEntries: -1 }));
    expect(isHublineError(error, 'VALIDATION_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/maxEntries/);
    const cache = errorOf(() => openOutbox({ path: ':memory:', cacheSizeKiB: -1 }));
    expect((cache as Error).message).toMatch(/cacheSizeKiB/);
    const mmap = errorOf(() => openOutbox({ path: ':memory:', mmapSizeBytes: 1.5 }));
    expect((mmap as Error).message).toMatch(/mmapSizeBytes/);
    for (const checkpointPages of [0, -1, 2.5, Number.POSITIVE_INFINITY]) {
      const pages = errorOf(() => openOutbox({ path: ':memory:', checkpointPages }));
      expect(isHublineError(pages, 'VALIDATION_FAILED'), String(checkpointPages)).toBe(true);
      expect((pages as Error).message).toMatch(/checkpointPages: must be an integer ≥ 1/);
    }
    for (const maxEventBytes of [Number.POSITIVE_INFINITY, 1.5, 0]) {
      const size = errorOf(() => openOutbox({ path: ':memory:', maxEventBytes }));
      expect(isHublineError(size, 'VALIDATION_FAILED'), String(maxEventBytes)).toBe(true);
      expect((size as Error).message).toMatch(/maxEventBytes: must be an integer ≥ 1/);
    }
    const fraction = errorOf(() => openOutbox({ path: ':memory:', maxBytes: 0.5 }));
    expect((fraction as Error).message).toMatch(/maxBytes: must be an integer ≥ 1 or Infinity/);
    openOutbox({ path: ':memory:', maxEntries: Number.POSITIVE_INFINITY, maxBytes: 1024 }).close();
  });

  it('refuses a clock reading that is not whole epoch milliseconds, naming the clock, and writes nothing', () => {
    let reading = 1_767_225_600_000;
    const outbox = openOutbox({ path: ':memory:', clock: () => reading });
    const id = outbox.record(sampleInput(1));
    const [entry] = outbox.claim({ limit: 1, leaseMs: 30_000, owner: 'engine-a' });
    reading = Number.NaN;
    const settle = errorOf(() =>
      outbox.settle('engine-a', [{ id: entry!.id, type: 'delivered', alreadyExisted: false }]),
    );
    expect(isHublineError(settle, 'VALIDATION_FAILED')).toBe(true);
    expect((settle as Error).message).toMatch(/clock: must return whole epoch milliseconds, returned NaN/);
    expect(errorOf(() => outbox.record(sampleInput(2)))).toMatchObject({ code: 'VALIDATION_FAILED' });
    reading = 1_767_225_601_000;
    expect(outbox.get(id)?.status).toBe('leased');
    expect(outbox.stats().pending + outbox.stats().inFlight).toBe(1);
    expect(outbox.settle('engine-a', [{ id, type: 'delivered', alreadyExisted: false }]).applied).toEqual([
      id,
    ]);
    outbox.close();
  });

  it('bounds SQLite memory by default (8 MiB page cache, no mmap, checkpoints every 4,000 log pages) and takes other sizes as options', () => {
    const defaults = openOutbox({ path: temp.path('defaults.db') });
    const db = databaseOf(defaults);
    expect(db.pragma('cache_size', { simple: true })).toBe(-8192);
    expect(db.pragma('mmap_size', { simple: true })).toBe(0);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    defaults.close();
    const tuned = openOutbox({
      path: temp.path('tuned.db'),
      cacheSizeKiB: 2048,
      mmapSizeBytes: 1 << 20,
      checkpointPages: 50,
    });
    expect(databaseOf(tuned).pragma('cache_size', { simple: true })).toBe(-2048);
    expect(databaseOf(tuned).pragma('mmap_size', { simple: true })).toBe(1 << 20);
    expect(databaseOf(tuned).pragma('wal_autocheckpoint', { simple: true })).toBe(50);
    // Each record is a transaction of several pages: 300 of them would take well over 1,000 log pages, but the
    // log is copied back (and begun again) whenever it holds 50.
    for (let n = 0; n < 300; n += 1) tuned.record(sampleInput(n));
    expect(statSync(`${temp.path('tuned.db')}-wal`).size).toBeLessThan(200 * 4120);
    tuned.close();
  });

  it('closes safely twice, completes its streams and refuses use after close', () => {
    const outbox = openOutbox({ path: ':memory:' });
    let completed = 0;
    outbox.changes$.subscribe({ complete: () => completed++ });
    outbox.evicted$.subscribe({ complete: () => completed++ });
    outbox.close();
    outbox.close();
    expect(completed).toBe(2);
    expect(
      isHublineError(
        errorOf(() => outbox.record(sampleInput(1))),
        'OUTBOX_CLOSED',
      ),
    ).toBe(true);
    expect(
      isHublineError(
        errorOf(() => outbox.stats()),
        'OUTBOX_CLOSED',
      ),
    ).toBe(true);
  });

  it('ships its migrations with the package', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      files: string[];
    };
    expect(manifest.files).toContain('drizzle');
    expect(currentSchemaVersion()).toBeGreaterThan(0);
  });
});
