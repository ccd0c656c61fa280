/**
 * Test support: the workspace's packages, their manifests and source files, read from disk, for the tests that
 * guard every package at once (boundaries, TSDoc, manifests, the packed tarballs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, '../..');

/** The fields of a package.json these tests read. */
export interface Manifest {
  /** The package name, e.g. `@hubline/core`. */
  readonly name: string;
  /** Its version. */
  readonly version: string;
  /** True for the demo app and the examples, which are never published. */
  readonly private?: boolean;
  /** Every other field, read as the tests need it. */
  readonly [field: string]: unknown;
}

/** One workspace package. */
export interface WorkspacePackage {
  /** The short name: the folder's name (`core`, `outbox`, `sync`, `emulator`, `demo`, `kiosk-service`, …). */
  readonly short: string;
  /** The folder, absolute. */
  readonly dir: string;
  /** The folder relative to the root, e.g. `packages/core`. */
  readonly relativeDir: string;
  /** Its package.json. */
  readonly manifest: Manifest;
}

/**
 * Read a JSON file.
 *
 * @param file - absolute path
 */
export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Every package under `packages/`, `apps/` and `examples/`, libraries first. */
export const workspacePackages: readonly WorkspacePackage[] = ['packages', 'apps', 'examples'].flatMap(
  (group) =>
    readdirSync(path.join(ROOT, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => {
        const dir = path.join(ROOT, group, entry.name);
        return {
          short: entry.name,
          dir,
          relativeDir: `${group}/${entry.name}`,
          manifest: readJson<Manifest>(path.join(dir, 'package.json')),
        };
      }),
);

/** The packages that are published to npm (every package that is not private). */
export const publishedPackages = workspacePackages.filter((pkg) => pkg.manifest.private !== true);

/**
 * Every `.ts` file under `dir`, as absolute paths, optionally without tests.
 *
 * @param dir - the folder to list
 * @param options - `shippedOnly`: leave out `*.test.ts` and `*.test-d.ts`
 */
export function typeScriptFiles(dir: string, options: { readonly shippedOnly?: boolean } = {}): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typeScriptFiles(full, options);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) return [];
    if (options.shippedOnly === true && /\.test(-d)?\.ts$/.test(entry.name)) return [];
    return [full];
  });
}

/**
 * Every module specifier a source text names: static and dynamic imports, re-exports, `require`.
 *
 * @param text - TypeScript source
 */
export function importSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((reference) => reference.fileName);
}
