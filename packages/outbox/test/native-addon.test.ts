import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childArgs, type TempDir, tempDir } from './support.js';

const CHILD = fileURLToPath(new URL('./fixtures/missing-addon-child.ts', import.meta.url));

/** The installed package folder of `name`, as `from` resolves it. */
function packageDir(name: string, from: string): string {
  return realpathSync(dirname(createRequire(from).resolve(`${name}/package.json`)));
}

describe('openOutbox without better-sqlite3 native addon', () => {
  let temp: TempDir;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.remove());

  it('says what to run (pnpm approve-builds, npm rebuild, Electron) and keeps the loader error as cause', () => {
    // A copy of better-sqlite3 and what it loads the addon with, without the build: what pnpm 10 leaves when it
    // ignores the package's build script.
    const real = packageDir('better-sqlite3', fileURLToPath(new URL('../package.json', import.meta.url)));
    const bindings = packageDir('bindings', join(real, 'package.json'));
    const fileUri = packageDir('file-uri-to-path', join(bindings, 'package.json'));
    const modules = join(temp.dir, 'node_modules');
    const copy = join(modules, 'better-sqlite3');
    cpSync(join(real, 'package.json'), join(copy, 'package.json'));
    cpSync(join(real, 'lib'), join(copy, 'lib'), { recursive: true });
    cpSync(bindings, join(modules, 'bindings'), { recursive: true });
    cpSync(fileUri, join(modules, 'file-uri-to-path'), { recursive: true });
    expect(existsSync(join(copy, 'build'))).toBe(false);

    const path = temp.path('outbox.db');
    const child = spawnSync(process.execPath, [...childArgs(CHILD), copy, path], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const thrown = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, string>;
    expect(thrown, child.stderr).toMatchObject({ name: 'StorageError', code: 'NATIVE_ADDON_MISSING' });
    expect(thrown.message).toContain(path);
    expect(thrown.message).toContain('pnpm approve-builds');
    expect(thrown.message).toContain('onlyBuiltDependencies: [better-sqlite3]');
    expect(thrown.message).toContain('npm rebuild better-sqlite3');
    expect(thrown.message).toMatch(/Electron's ABI/);
    expect(thrown.cause).toMatch(/Could not locate the bindings file/);
  }, 120_000);
});
