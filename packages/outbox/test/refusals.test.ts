import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { isHublineError } from '@hubline/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOutbox } from '../src/open-outbox.js';
import { OUTBOX_APPLICATION_ID } from '../src/storage/file-identity.js';
import { errorOf, sampleInput, type TempDir, tempDir } from './support.js';

const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('openOutbox refuses what it must not touch', () => {
  let temp: TempDir;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.remove());

  it('refuses a dangling symbolic link at the path, naming it, and creates nothing', () => {
    const path = temp.path('link.db');
    const target = temp.path('missing-target.db');
    symlinkSync(target, path);
    const error = errorOf(() => openOutbox({ path }));
    expect(isHublineError(error, 'STORAGE_FAILED')).toBe(true);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(/symbolic link to .*missing-target\.db.*which does not exist/);
    expect(existsSync(target)).toBe(false);
  });

  it('follows a symbolic link to an existing outbox file', () => {
    const target = temp.path('real.db');
    openOutbox({ path: target }).close();
    const path = temp.path('link.db');
    symlinkSync(target, path);
    const outbox = openOutbox({ path });
    outbox.record(sampleInput(1));
    outbox.close();
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it.each(['delete', 'wal'] as const)(
    "refuses another application's database (journal mode %s) before writing anything, naming the path",
    (journalMode) => {
      const path = temp.path('notes.db');
      const other = new Database(path);
      other.pragma(`journal_mode = ${journalMode}`);
      other.exec(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('hi')",
      );
      other.close();
      const before = hash(path);
      const error = errorOf(() => openOutbox({ path }));
      expect(isHublineError(error, 'NOT_AN_OUTBOX'), String(error)).toBe(true);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toMatch(
        /another application's SQLite database \(it has tables but no outbox schema version\); it was left untouched/,
      );
      expect(hash(path)).toBe(before);
      expect(existsSync(`${path}-wal`)).toBe(false);
      const check = new Database(path, { readonly: true });
      expect(check.pragma('journal_mode', { simple: true })).toBe(journalMode);
      expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual([
        'notes',
      ]);
      check.close();
    },
  );

  it('refuses another application that numbers its schema as an older outbox would, by its tables', () => {
    const path = temp.path('versioned.db');
    const other = new Database(path);
    other.exec('CREATE TABLE entries (id TEXT); CREATE TABLE notes (text TEXT); PRAGMA user_version = 3');
    other.close();
    const before = hash(path);
    const error = errorOf(() => openOutbox({ path }));
    expect(isHublineError(error, 'NOT_AN_OUTBOX'), String(error)).toBe(true);
    expect((error as Error).message).toContain('its tables (entries, notes) are not an outbox');
    expect(hash(path)).toBe(before);
  });

  it('refuses a database stamped with another application id, and stamps its own files', () => {
    const path = temp.path('other.db');
    const other = new Database(path);
    other.pragma('application_id = 1234');
    other.close();
    expect(errorOf(() => openOutbox({ path }))).toMatchObject({ code: 'NOT_AN_OUTBOX' });
    const mine = temp.path('mine.db');
    openOutbox({ path: mine }).close();
    const check = new Database(mine, { readonly: true });
    expect(check.pragma('application_id', { simple: true })).toBe(OUTBOX_APPLICATION_ID);
    check.close();
  });

  it('refuses options of the wrong type, naming each', () => {
    const refused = (options: unknown, field: RegExp) => {
      const error = errorOf(() => openOutbox(options as never));
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(field);
    };
    refused(null, /options: must be an object/);
    refused({ path: ':memory:', clock: 'now' }, /clock: must be a function/);
    refused({ path: ':memory:', logger: {} }, /logger: must be an object with debug, info, warn and error/);
    refused({ path: ':memory:', logger: console.log }, /logger/);
    refused(
      { path: ':memory:', busyTimeoutMs: 2 ** 31 },
      /busyTimeoutMs: must be a whole number of ms from 0 to 2147483647/,
    );
    refused({ path: ':memory:', busyTimeoutMs: Number.POSITIVE_INFINITY }, /busyTimeoutMs/);
    refused({ path: ':memory:', busyTimeoutMs: -1 }, /busyTimeoutMs/);
  });

  it('refuses unusable arguments at every entry point, naming them, before touching the file', () => {
    const outbox = openOutbox({ path: temp.path() });
    const refused = (run: () => unknown, field: RegExp) => {
      const error = errorOf(run);
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(field);
    };
    refused(() => outbox.prune({ olderThanMs: Number.NaN }), /olderThanMs/);
    refused(() => outbox.prune({ olderThanMs: -1 }), /olderThanMs/);
    refused(() => outbox.listDead({ limit: -1 }), /limit/);
    refused(() => outbox.requeue('abc' as never), /ids/);
    refused(() => outbox.history({} as never), /id/);
    refused(() => outbox.claim({ limit: 1, leaseMs: Number.POSITIVE_INFINITY, owner: 'a' }), /leaseMs/);
    refused(
      () => outbox.release('a', [{ id: 'x', reason: 'paused', detail: '', delayMs: 2 ** 31 }]),
      /delayMs/,
    );
    // A retention is an age, not a timer: thirty days is fine.
    expect(outbox.prune({ olderThanMs: 30 * 24 * 3_600_000 })).toBe(0);
    expect(outbox.stats()).toMatchObject({ pending: 0 });
    outbox.close();
  });

  it('is disposable: `using` closes it at the end of the scope', () => {
    const path = temp.path();
    let escaped: ReturnType<typeof openOutbox> | undefined;
    {
      using outbox = openOutbox({ path });
      outbox.record(sampleInput(1));
      escaped = outbox;
    }
    expect(
      isHublineError(
        errorOf(() => escaped?.stats()),
        'OUTBOX_CLOSED',
      ),
    ).toBe(true);
  });
});
