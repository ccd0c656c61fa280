/**
 * Test support: pack every published package with pnpm, as `pnpm release` would publish it, and read what the
 * tarballs hold.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { type Manifest, publishedPackages, type WorkspacePackage } from './workspace.js';

const run = promisify(execFile);

/** One packed package. */
export interface PackedPackage {
  /** Its name, e.g. `@hubline/outbox`. */
  readonly name: string;
  /** The workspace package it was packed from. */
  readonly source: WorkspacePackage;
  /** The `.tgz`, absolute. */
  readonly tarball: string;
  /** The tarball unpacked: its `package/` folder, absolute. */
  readonly unpacked: string;
  /** The manifest inside the tarball: what the registry would serve. */
  readonly manifest: Manifest;
  /** Every file in the tarball, relative to `package/`, sorted. */
  readonly files: readonly string[];
}

function workspaceDependencies(pkg: WorkspacePackage): WorkspacePackage[] {
  const names = Object.keys((pkg.manifest.dependencies as Record<string, string> | undefined) ?? {});
  return publishedPackages.filter((other) => names.includes(other.manifest.name));
}

/**
 * The published packages in levels: each level depends only on earlier ones, so a level's builds (each package's
 * prepack compiles against the `dist/` of the packages it imports) can run side by side.
 */
function dependencyLevels(): WorkspacePackage[][] {
  const levels: WorkspacePackage[][] = [];
  const placed = new Set<WorkspacePackage>();
  while (placed.size < publishedPackages.length) {
    const level = publishedPackages.filter(
      (pkg) => !placed.has(pkg) && workspaceDependencies(pkg).every((dep) => placed.has(dep)),
    );
    if (level.length === 0) throw new Error('the published packages depend on each other in a cycle');
    for (const pkg of level) placed.add(pkg);
    levels.push(level);
  }
  return levels;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    const relative = prefix === '' ? entry : `${prefix}/${entry}`;
    return statSync(full).isDirectory() ? listFiles(full, relative) : [relative];
  });
}

async function pack(source: WorkspacePackage, destination: string): Promise<PackedPackage> {
  const { stdout } = await run('pnpm', ['pack', '--pack-destination', destination, '--json'], {
    cwd: source.dir,
    maxBuffer: 16 * 1024 * 1024,
  });
  const { filename } = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { filename: string };
  const tarball = path.resolve(destination, path.basename(filename));
  const into = path.join(destination, 'unpacked', source.short);
  mkdirSync(into, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', into]);
  const unpacked = path.join(into, 'package');
  return {
    name: source.manifest.name,
    source,
    tarball,
    unpacked,
    manifest: JSON.parse(readFileSync(path.join(unpacked, 'package.json'), 'utf8')) as Manifest,
    files: listFiles(unpacked).sort(),
  };
}

/**
 * `pnpm pack` every published package into `destination` (each package's prepack builds it afresh) and unpack it.
 *
 * @param destination - an empty folder
 */
export async function packAll(destination: string): Promise<PackedPackage[]> {
  const packed: PackedPackage[] = [];
  for (const level of dependencyLevels())
    packed.push(...(await Promise.all(level.map((source) => pack(source, destination)))));
  return packed;
}
