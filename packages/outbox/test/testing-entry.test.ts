import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childArgs } from './support.js';

const CHILD = fileURLToPath(new URL('./fixtures/testing-without-native-child.ts', import.meta.url));

describe('@hubline/outbox/testing', () => {
  it('loads and runs its memory store in a process that cannot load better-sqlite3', () => {
    const child = spawnSync(process.execPath, childArgs(CHILD), { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).not.toMatch(/better-sqlite3 was imported/);
    expect(child.stdout.trim()).toBe('OK');
    // The control: the same hook does stop the main entry, which opens SQLite files.
    const main = spawnSync(process.execPath, [...childArgs(CHILD), 'main'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(main.stderr).toMatch(/better-sqlite3 was imported/);
    expect(main.stdout).not.toMatch(/MAIN LOADED/);
  }, 120_000);
});
