import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every bare specifier imported (statically or by type) by the modules `entry` reaches through relative imports. */
function packagesReachedFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, specifier] of source.matchAll(/^(?:import|export)\s(?:[^'"]*?\sfrom\s)?'([^']+)'/gm)) {
      if (specifier === undefined) continue;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else bare.add(specifier);
    }
  };
  visit(resolve(packageRoot, entry));
  return bare;
}

describe('the @hubline/sync entries', () => {
  it('keeps ky out of the main entry: nothing it reaches imports ky', () => {
    const reached = packagesReachedFrom('src/index.ts');

    expect(reached.has('ky')).toBe(false);
    expect(reached).toContain('@hubline/core');
    expect(packagesReachedFrom('src/ky.ts')).toContain('ky');
  });

  it('offers createKyTransport only from @hubline/sync/ky, and no token-provider internals', async () => {
    const main = await import('@hubline/sync');
    const ky = await import('@hubline/sync/ky');

    expect(Object.keys(ky)).toEqual(['createKyTransport']);
    for (const internal of ['createKyTransport', 'resolveTokenProvider', 'isTokenProvider']) {
      expect(Object.keys(main)).not.toContain(internal);
    }
    expect(Object.keys(main)).toContain('createNodeHttpTransport');
  });

  it('declares ky an optional peer dependency, not a dependency', () => {
    const manifest = JSON.parse(readFileSync(resolve(packageRoot, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
      exports: Record<string, Record<string, string>>;
    };

    expect(manifest.dependencies?.ky).toBeUndefined();
    expect(manifest.peerDependencies?.ky).toBeDefined();
    expect(manifest.peerDependenciesMeta?.ky?.optional).toBe(true);
    expect(Object.keys(manifest.exports['./ky'] ?? {})).toEqual(Object.keys(manifest.exports['.'] ?? {}));
  });
});
