/**
 * Dependencies point one way: core ← outbox ← sync ← demo, core ← postgres, and the emulator stands apart (it judges requests by
 * its own rules, so a mistake in core is caught instead of mirrored). A package reaches another only through its
 * published entry points, never into its files. The examples use the packages as a user's app does. These tests
 * read every package's source, and every example's, to keep it so.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  importSpecifiers,
  type Manifest,
  ROOT,
  typeScriptFiles,
  workspacePackages,
} from './support/workspace.js';

/** What each package's shipped source may import from the others. */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  core: [],
  outbox: ['core'],
  postgres: ['core'],
  sync: ['core', 'outbox'],
  emulator: [],
  demo: ['core', 'outbox', 'sync', 'emulator', 'postgres'],
  'kiosk-service': ['core', 'outbox', 'sync'],
  'electron-main': ['core', 'outbox', 'sync'],
  'http-gateway': ['core', 'outbox', 'sync'],
};

/** Tests and benchmarks may also start the emulator, the stand-in for HubSpot. */
const TEST_EXTRAS = ['emulator'];

/**
 * And a package's own tests and benchmarks may drive it with a package above it: PostgreSQL's benchmarks run sync
 * engines on the store (what the store is for), which its shipped source never imports.
 */
const PACKAGE_TEST_EXTRAS: Readonly<Record<string, readonly string[]>> = { postgres: ['sync'] };

/** And run the storage port's contract suite, which every store must pass, through its entry point. */
const TEST_ENTRIES = ['@hubline/outbox/contract'];

/** Repository folders that tests and benchmarks may read besides their own package: tooling and vendored specs. */
const SHARED_DIRS = ['scripts', 'spec'].map((dir) => path.join(ROOT, dir));

const byShortName = new Map(workspacePackages.map((pkg) => [pkg.short, pkg]));

/** The subpaths a package exports, e.g. `['.', './testing']`. */
function exportedSubpaths(manifest: Manifest): string[] {
  const exports = manifest.exports;
  if (typeof exports !== 'object' || exports === null) return ['.'];
  const keys = Object.keys(exports);
  return keys.every((key) => key.startsWith('.')) ? keys : ['.'];
}

/** Why `specifier`, imported by `file` of package `short`, breaks the boundaries; undefined when it does not. */
function violation(short: string, file: string, specifier: string, shipped: boolean): string | undefined {
  const own = byShortName.get(short);
  if (own === undefined) return `unknown package ${short}`;
  if (specifier.startsWith('.')) {
    const target = path.resolve(path.dirname(file), specifier);
    const home = shipped ? path.join(own.dir, 'src') : own.dir;
    const inside = [home, ...(shipped ? [] : SHARED_DIRS)].some((dir) =>
      target.startsWith(`${dir}${path.sep}`),
    );
    return inside ? undefined : `${specifier} reaches outside ${path.relative(ROOT, home)}`;
  }
  const match = /^@hubline\/([^/]+)(\/.*)?$/.exec(specifier);
  if (match === null) return undefined;
  if (!shipped && TEST_ENTRIES.includes(specifier)) return undefined;
  const [, target = '', rest] = match;
  // A test or a benchmark may use its own package as a user does, through its entry points; its source may not.
  if (target === short && shipped) return `${specifier} imports its own package by name`;
  const extras = shipped ? [] : [short, ...TEST_EXTRAS, ...(PACKAGE_TEST_EXTRAS[short] ?? [])];
  const allowed = [...(LAYERS[short] ?? []), ...extras];
  if (!allowed.includes(target)) return `${specifier}: ${short} may not depend on ${target}`;
  const targetPackage = byShortName.get(target);
  if (targetPackage === undefined) return `${specifier}: no such workspace package`;
  const subpath = rest === undefined ? '.' : `.${rest}`;
  if (!exportedSubpaths(targetPackage.manifest).includes(subpath))
    return `${specifier} is a deep import: ${target} exports only ${exportedSubpaths(targetPackage.manifest).join(', ')}`;
  return undefined;
}

const sources = workspacePackages.flatMap((pkg) =>
  ['src', 'test', 'bench'].flatMap((folder) =>
    typeScriptFiles(path.join(pkg.dir, folder)).map((file) => ({
      short: pkg.short,
      name: path.relative(ROOT, file),
      file,
      shipped: folder === 'src' && !/\.test(-d)?\.ts$/.test(file),
    })),
  ),
);

describe('package boundaries', () => {
  it('knows every workspace package and reads all of their source', () => {
    expect(Object.keys(LAYERS).sort()).toEqual(workspacePackages.map((pkg) => pkg.short).sort());
    for (const pkg of workspacePackages)
      expect(sources.some((source) => source.short === pkg.short)).toBe(true);
  });

  it.each(sources.map((source) => [source.name, source] as const))(
    '%s imports only packages below it, through their entry points',
    (_name, { short, file, shipped }) => {
      const problems = importSpecifiers(readFileSync(file, 'utf8')).flatMap(
        (specifier) => violation(short, file, specifier, shipped) ?? [],
      );
      expect(problems).toEqual([]);
    },
  );

  it('would notice an upward import, a deep import, an escape from src and a sibling folder', () => {
    const outboxFile = path.join(ROOT, 'packages/outbox/src/x.ts');
    const coreTest = path.join(ROOT, 'packages/core/test/x.test.ts');
    expect(violation('outbox', outboxFile, '@hubline/sync', true)).toMatch(/may not depend on sync/);
    expect(violation('outbox', outboxFile, '@hubline/core/src/index.js', true)).toMatch(/deep import/);
    expect(violation('outbox', outboxFile, '../test/support.js', true)).toMatch(/reaches outside/);
    expect(violation('core', coreTest, '../../outbox/src/index.js', false)).toMatch(/reaches outside/);
    expect(violation('core', coreTest, '@hubline/emulator', false)).toBeUndefined();
    expect(violation('core', coreTest, '@hubline/sync', false)).toMatch(/may not depend on sync/);
    expect(
      violation('postgres', path.join(ROOT, 'packages/postgres/bench/x.bench.ts'), '@hubline/sync', false),
    ).toBeUndefined();
    expect(violation('outbox', outboxFile, '@hubline/outbox', true)).toMatch(/own package/);
    expect(
      violation('outbox', coreTest.replace('core', 'outbox'), '@hubline/outbox/testing', false),
    ).toBeUndefined();
    expect(
      violation('outbox', coreTest.replace('core', 'outbox'), '@hubline/outbox/src/x.js', false),
    ).toMatch(/deep import/);
    expect(violation('core', coreTest, '../../../spec/hubspot/x.json', false)).toBeUndefined();
    expect(
      violation('sync', path.join(ROOT, 'packages/sync/src/x.ts'), '@hubline/outbox', true),
    ).toBeUndefined();
    const postgresFile = path.join(ROOT, 'packages/postgres/src/x.ts');
    expect(violation('postgres', postgresFile, '@hubline/core/store', true)).toBeUndefined();
    expect(violation('postgres', postgresFile, '@hubline/outbox/contract', true)).toMatch(
      /may not depend on outbox/,
    );
    expect(
      violation(
        'postgres',
        path.join(ROOT, 'packages/postgres/test/x.test.ts'),
        '@hubline/outbox/contract',
        false,
      ),
    ).toBeUndefined();
  });

  it('holds the examples to what a user can import: entry points, and the emulator only in their tests', () => {
    const exampleFile = path.join(ROOT, 'examples/kiosk-service/src/x.ts');
    const exampleTest = path.join(ROOT, 'examples/kiosk-service/test/x.test.ts');
    expect(violation('kiosk-service', exampleFile, '@hubline/sync', true)).toBeUndefined();
    expect(violation('kiosk-service', exampleFile, '@hubline/outbox/src/open-outbox.js', true)).toMatch(
      /deep import/,
    );
    expect(violation('kiosk-service', exampleFile, '../../../packages/outbox/src/index.js', true)).toMatch(
      /reaches outside/,
    );
    expect(violation('kiosk-service', exampleFile, '@hubline/emulator', true)).toMatch(/may not depend/);
    expect(violation('kiosk-service', exampleTest, '@hubline/emulator', false)).toBeUndefined();
    expect(violation('kiosk-service', exampleTest, '../src/config.js', false)).toBeUndefined();
  });
});
