/**
 * Test support: pack every published package with pnpm, as `pnpm release` would publish it, and read what the
 * tarballs hold.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { type Manifest, publishedPackages, type WorkspacePackage } from './workspace.js';

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

/** The published packages, each after the workspace packages it depends on, so each build finds its inputs. */
function inDependencyOrder(): WorkspacePackage[] {
  const names = new Set(publishedPackages.map((pkg) => pkg.manifest.name));
  const done: WorkspacePackage[] = [];
  const visit = (pkg: WorkspacePackage, path: readonly string[]): void => {
    if (done.includes(pkg)) return;
    if (path.includes(pkg.manifest.name))
      throw new Error(`dependency cycle: ${[...path, pkg.manifest.name]}`);
    const deps = Object.keys((pkg.manifest.dependencies as Record<string, string> | undefined) ?? {});
    for (const dep of deps.filter((name) => names.has(name)))
      visit(publishedPackages.find((other) => other.manifest.name === dep) as WorkspacePackage, [
        ...path,
        pkg.manifest.name,
      ]);
    done.push(pkg);
  };
  for (const pkg of publishedPackages) visit(pkg, []);
  return done;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    const relative = prefix === '' ? entry : `${prefix}/${entry}`;
    return statSync(full).isDirectory() ? listFiles(full, relative) : [relative];
  });
}

/**
 * `pnpm pack` every published package into `destination` (each package's prepack builds it afresh) and unpack it.
 *
 * @param destination - an empty folder
 */
export function packAll(destination: string): PackedPackage[] {
  return inDependencyOrder().map((source) => {
    const output = execFileSync('pnpm', ['pack', '--pack-destination', destination, '--json'], {
      cwd: source.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { filename } = JSON.parse(output.slice(output.indexOf('{'))) as { filename: string };
    const tarball = path.resolve(destination, path.basename(filename));
    const into = path.join(destination, 'unpacked', source.short);
    mkdirSync(into, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', into]);
    const unpacked = path.join(into, 'package');
    return {
      name: source.manifest.name,
      source,
      tarball,
      unpacked,
      manifest: JSON.parse(readFileSync(path.join(unpacked, 'package.json'), 'utf8')) as Manifest,
      files: listFiles(unpacked).sort(),
    };
  });
}
