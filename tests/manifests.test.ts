/**
 * Every published manifest says what a registry user needs (license, repository, engines, public access) and
 * points only at files that exist; what reaches the tarball is shaped by `.pnpmfile.cjs` and guarded by
 * `scripts/prepack.mjs`, both tested here without packing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Manifest, publishedPackages, ROOT, readJson } from './support/workspace.js';

const root = readJson<Manifest & { engines: { node: string } }>(path.join(ROOT, 'package.json'));
const LICENSE = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
const REPOSITORY = 'https://github.com/hubline/hubline';

/** The pnpm hook that shapes every published manifest. */
const { hooks } = createRequire(import.meta.url)(path.join(ROOT, '.pnpmfile.cjs')) as {
  hooks: { beforePacking(pkg: Record<string, unknown>): Record<string, unknown> };
};

type Conditions = Record<string, string>;

describe.each(publishedPackages.map((pkg) => [pkg.manifest.name, pkg] as const))(
  '%s manifest',
  (_name, pkg) => {
    const manifest = pkg.manifest as Manifest & {
      exports: Record<string, Conditions>;
      files: string[];
      scripts: Record<string, string>;
    };

    it('is an ESM-only, side-effect-free, MIT package for the Node lines the root supports', () => {
      expect(manifest).toMatchObject({
        name: `@hubline/${pkg.short}`,
        type: 'module',
        sideEffects: false,
        license: 'MIT',
        engines: { node: root.engines.node },
        publishConfig: { access: 'public' },
      });
      expect(readFileSync(path.join(pkg.dir, 'LICENSE'), 'utf8')).toBe(LICENSE);
      expect(existsSync(path.join(pkg.dir, 'README.md'))).toBe(true);
      expect(existsSync(path.join(pkg.dir, 'CHANGELOG.md'))).toBe(true);
    });

    it('says where it comes from: repository with its folder, homepage, bugs, keywords', () => {
      expect(manifest).toMatchObject({
        repository: { type: 'git', url: `git+${REPOSITORY}.git`, directory: pkg.relativeDir },
        homepage: `${REPOSITORY}/tree/main/${pkg.relativeDir}#readme`,
        bugs: { url: `${REPOSITORY}/issues` },
      });
      expect((manifest.keywords as string[]).length).toBeGreaterThan(2);
    });

    it('ships its build and the source its maps point to, never its tests, and builds afresh when packed', () => {
      expect(manifest.files.slice(0, 5)).toEqual([
        'dist',
        'src',
        '!src/**/*.test.ts',
        '!src/**/*.test-d.ts',
        'CHANGELOG.md',
      ]);
      expect(manifest.scripts.prepack).toBe('node ../../scripts/prepack.mjs');
    });

    it('maps every entry to a source file for the workspace and to types and code in dist/ for users', () => {
      for (const [subpath, conditions] of Object.entries(manifest.exports)) {
        expect(Object.keys(conditions), subpath).toEqual(['@hubline/source', 'types', 'default']);
        const source = conditions['@hubline/source'] ?? '';
        expect(existsSync(path.join(pkg.dir, source)), source).toBe(true);
        const stem = source.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '');
        expect(conditions, subpath).toMatchObject({ types: `${stem}.d.ts`, default: `${stem}.js` });
      }
      expect(manifest).toMatchObject({
        main: manifest.exports['.']?.default,
        types: manifest.exports['.']?.types,
      });
    });

    it('is published without the source condition, scripts, dev dependencies or workspace ranges', () => {
      const published = hooks.beforePacking(structuredClone({ ...manifest, dependencies: {} }));
      expect(JSON.stringify(published)).not.toContain('@hubline/source');
      expect(published).not.toHaveProperty('scripts');
      expect(published).not.toHaveProperty('devDependencies');
      expect(published.exports).toEqual(
        Object.fromEntries(
          Object.entries(manifest.exports).map(([subpath, { types, default: code }]) => [
            subpath,
            { types, default: code },
          ]),
        ),
      );
    });
  },
);

describe('the pack guards', () => {
  it('refuse a manifest that would still name a workspace: range', () => {
    const leaky = { name: 'x', exports: {}, peerDependencies: { '@hubline/core': 'workspace:^' } };
    expect(() => hooks.beforePacking(leaky)).toThrow(/refusing to pack workspace ranges.*@hubline\/core/);
  });

  it('strip the source condition at any depth of an exports map', () => {
    const nested = {
      '.': { import: { '@hubline/source': './src/a.ts', types: './a.d.ts' }, default: './a.js' },
    };
    expect(hooks.beforePacking({ name: 'x', exports: nested }).exports).toEqual({
      '.': { import: { types: './a.d.ts' }, default: './a.js' },
    });
  });

  it('refuse npm (which would leak workspace:*) before building anything', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hubline-prepack-'));
    try {
      const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/prepack.mjs')], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, npm_config_user_agent: 'npm/11.6.2 node/v20.19.0 linux x64' },
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/Refusing to pack with "npm\/11\.6\.2".*pnpm pack/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
