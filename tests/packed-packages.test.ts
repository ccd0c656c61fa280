/**
 * The packages as a registry user gets them: packed with pnpm (as `pnpm release` publishes them), checked by
 * publint and are-the-types-wrong, then installed with npm into a brand-new app that typechecks a TypeScript
 * consumer strictly and runs a plain-JavaScript consumer against the emulator started from its own tarball's CLI.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerApp, entriesModule, installConsumerApp } from './support/consumer-app.js';
import { type PackedPackage, packAll } from './support/pack.js';
import { publishedPackages, ROOT } from './support/workspace.js';

const work = mkdtempSync(path.join(tmpdir(), 'hubline-packed-'));
let packed: PackedPackage[] = [];
/** Started as soon as the tarballs exist, so npm's downloads overlap the checks of the tarballs themselves. */
let installed: Promise<ConsumerApp>;

beforeAll(async () => {
  packed = await packAll(work);
  installed = installConsumerApp(path.join(work, 'app'), packed);
  installed.catch(() => undefined); // awaited, and reported, by the consumer's tests
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
}, 120_000);

/** Every `sources` entry of every source map, and every `sourceMappingURL`, must name a file in the tarball. */
function unresolvedMaps(pkg: PackedPackage): string[] {
  const missing: string[] = [];
  for (const file of pkg.files.filter((name) => /\.(js|d\.ts)$/.test(name))) {
    const text = readFileSync(path.join(pkg.unpacked, file), 'utf8');
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
    if (url === undefined) continue;
    const map = path.join(path.dirname(path.join(pkg.unpacked, file)), url);
    if (!existsSync(map)) {
      missing.push(`${file} → ${url}`);
      continue;
    }
    const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
    for (const source of sources)
      if (!existsSync(path.join(path.dirname(map), source)))
        missing.push(`${path.relative(pkg.unpacked, map)} → ${source}`);
  }
  return missing;
}

describe.each(publishedPackages.map((pkg) => [pkg.manifest.name] as const))('%s as packed', (name) => {
  const pkg = () => packed.find((candidate) => candidate.name === name) as PackedPackage;

  it('holds its build, its license and the source its maps point to, and no tests', () => {
    const { files } = pkg();
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']));
    expect(files.some((file) => file.startsWith('dist/') && file.endsWith('.d.ts'))).toBe(true);
    expect(files.filter((file) => /\.test(-d)?\.ts$|(^|\/)test\//.test(file))).toEqual([]);
    expect(unresolvedMaps(pkg())).toEqual([]);
  });

  it('publishes a manifest without the source condition, workspace ranges, scripts or dev dependencies', () => {
    const text = JSON.stringify(pkg().manifest);
    expect(text).not.toContain('@hubline/source');
    expect(text).not.toContain('workspace:');
    expect(pkg().manifest).not.toHaveProperty('scripts');
    expect(pkg().manifest).not.toHaveProperty('devDependencies');
  });

  it('passes publint --strict', async () => {
    const tarball = readFileSync(pkg().tarball);
    const { messages, pkg: manifest } = await publint({
      pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
      strict: true,
    });
    expect(messages.map((message) => formatMessage(message, manifest, { color: false }))).toEqual([]);
  });

  it('passes are-the-types-wrong with the ESM-only profile: nothing wrong for ESM under node16 or bundler resolution', async () => {
    // .attw.json sets the profile: ESM only is a decision (README, "Install"), so the one thing it waives is a
    // CommonJS `require` of an ESM entry, which Node ^20.19 / >=22.12 allows and attw's TypeScript does not model.
    const attw = path.join(ROOT, 'node_modules/.bin/attw');
    // Exits non-zero on any problem the profile does not waive; the JSON report carries every resolution trace.
    const { stdout, exitCode } = await promisify(execFile)(attw, [pkg().tarball, '--format', 'json'], {
      cwd: ROOT,
      maxBuffer: 256 * 1024 * 1024,
    }).then(
      ({ stdout }) => ({ stdout, exitCode: 0 }),
      (error: { stdout?: string; code?: number }) => ({ stdout: error.stdout ?? '{}', exitCode: error.code }),
    );
    const { analysis } = JSON.parse(stdout) as {
      analysis?: { problems: { kind: string; resolutionKind?: string }[] };
    };
    // The profile ignores the two resolutions an ESM-only package does not serve: a CommonJS require, and
    // TypeScript's pre-exports `node10` mode, which cannot see subpaths such as `./testing` or `./ky` at all.
    for (const problem of analysis?.problems ?? [])
      expect(['node16-cjs', 'node10'], JSON.stringify(problem)).toContain(problem.resolutionKind);
    expect(exitCode).toBe(0);
  }, 120_000);
});

describe('a new app that installs the tarballs with npm', () => {
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  let app: ConsumerApp;
  let typechecks: { nodenext: Promise<string>; bundler: Promise<string> };

  beforeAll(async () => {
    app = await installed;
    writeFileSync(path.join(app.dir, 'entries.ts'), entriesModule(packed));
    // Independent and single-threaded: run side by side, each awaited by its own test.
    const typecheck = (config: string) => app.run(process.execPath, [tsc, '-p', config], 240_000);
    typechecks = {
      nodenext: typecheck('tsconfig.nodenext.json'),
      bundler: typecheck('tsconfig.bundler.json'),
    };
    for (const check of Object.values(typechecks)) check.catch(() => undefined);
  }, 600_000);

  it('runs a plain-JavaScript consumer that records and delivers to the emulator from its own CLI', async () => {
    const output = await app.run(process.execPath, ['deliver.mjs'], 90_000);
    const { id, stored } = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as {
      id: string;
      stored: string[];
    };
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(stored).toEqual([id]);
  }, 120_000);

  it('resolved every @hubline package from the tarballs, not the registry', () => {
    const lock = JSON.parse(readFileSync(path.join(app.dir, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string }>;
    };
    for (const pkg of packed) {
      const resolved = lock.packages[`node_modules/${pkg.name}`]?.resolved ?? '';
      expect(path.resolve(app.dir, resolved.replace(/^file:/, '')), pkg.name).toBe(pkg.tarball);
    }
    expect(
      execFileSync('npm', ['ls', '--all', '--parseable'], { cwd: app.dir, encoding: 'utf8' }),
    ).not.toMatch(/node_modules\/@hubline\/[^/\n]+\/node_modules\/@hubline\//);
  }, 60_000);

  it('typechecks a strict TypeScript consumer, skipLibCheck off, under module nodenext', async () => {
    expect(await typechecks.nodenext).toBeTypeOf('string'); // rejects with tsc's report
  }, 300_000);

  it('typechecks the same consumer under moduleResolution bundler', async () => {
    expect(await typechecks.bundler).toBeTypeOf('string'); // rejects with tsc's report
  }, 300_000);
});
