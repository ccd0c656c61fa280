/**
 * Test support: a brand-new app that installs the packed tarballs with npm, as a user of the registry would.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { PackedPackage } from './pack.js';
import { ROOT, readJson } from './workspace.js';

/** The consumer's sources, copied into the app. */
const CONSUMER_DIR = path.join(ROOT, 'tests/consumer');

/**
 * A prebuilt better-sqlite3 addon for prebuild-install's local lookup, made from the workspace's own build of the
 * same version for the same Node: a registry user on a common platform downloads the equivalent prebuilt binary
 * from better-sqlite3's releases, and this machine cannot reach them. Without it npm compiles the addon (about 75 s
 * on two cores); everything else still comes from the registry and installs as it would for anyone.
 *
 * @returns the folder holding the prebuild, or undefined when the workspace has no built addon to offer
 */
function localPrebuilds(into: string): string | undefined {
  const requireFromOutbox = createRequire(path.join(ROOT, 'packages/outbox/package.json'));
  const packageJson = requireFromOutbox.resolve('better-sqlite3/package.json');
  const packageDir = path.dirname(packageJson);
  const { version } = readJson<{ version: string }>(packageJson);
  const dir = path.join(into, 'prebuilds');
  mkdirSync(dir, { recursive: true });
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  try {
    execFileSync('tar', [
      '-czf',
      path.join(dir, name),
      '-C',
      packageDir,
      'build/Release/better_sqlite3.node',
    ]);
  } catch {
    return undefined;
  }
  return dir;
}

/** An installed consumer app. */
export interface ConsumerApp {
  /** Its folder. */
  readonly dir: string;
  /**
   * Run a command in the app's folder; resolves with its standard output, rejects with its output when it fails.
   *
   * @param command - the executable
   * @param args - its arguments
   * @param timeoutMs - how long it may take
   */
  run(command: string, args: readonly string[], timeoutMs: number): Promise<string>;
}

const execFileAsync = promisify(execFile);

/**
 * Create an app in `dir` that depends on every tarball, their peers and `@types/node`, and install it with
 * `npm install --engine-strict`: a dependency that does not declare support for this Node fails the install.
 *
 * @param dir - an empty folder
 * @param packed - the tarballs
 */
export async function installConsumerApp(
  dir: string,
  packed: readonly PackedPackage[],
): Promise<ConsumerApp> {
  cpSync(CONSUMER_DIR, dir, { recursive: true });
  const rootDevDependencies = readJson<{ devDependencies: Record<string, string> }>(
    path.join(ROOT, 'package.json'),
  ).devDependencies;
  const manifest = {
    name: 'hubline-consumer',
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(packed.map((pkg) => [pkg.name, `file:${pkg.tarball}`])),
    // Peer dependencies too, optional ones included: the consumer imports every entry point, as an app using
    // all of them would, and such an app installs what they name.
    devDependencies: {
      ...Object.assign(
        {},
        ...packed.map((pkg) => (pkg.manifest.peerDependencies as object | undefined) ?? {}),
      ),
      '@types/node': rootDevDependencies['@types/node'],
    },
  };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const prebuilds = localPrebuilds(dir);
  if (prebuilds !== undefined)
    writeFileSync(path.join(dir, '.prebuild-installrc'), `local-prebuilds=${prebuilds}\n`);
  const run = async (command: string, args: readonly string[], timeoutMs: number): Promise<string> => {
    try {
      const { stdout } = await execFileAsync(command, args, {
        cwd: dir,
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout;
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`${command} ${args.join(' ')} failed:\n${stdout}\n${stderr}`, { cause: error });
    }
  };
  await run('npm', ['install', '--engine-strict', '--no-audit', '--no-fund', '--loglevel=error'], 600_000);
  return { dir, run };
}

/**
 * A module that imports every entry point of every package, so the typecheck reads every declaration they ship.
 *
 * @param packed - the tarballs, whose manifests list the entry points
 */
export function entriesModule(packed: readonly PackedPackage[]): string {
  const specifiers = packed.flatMap((pkg) =>
    Object.keys(pkg.manifest.exports as Record<string, unknown>).map((subpath) =>
      subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
    ),
  );
  const imports = specifiers.map((specifier, i) => `import * as entry${i} from '${specifier}';`);
  const table = specifiers.map((specifier, i) => `  '${specifier}': entry${i},`);
  return `${imports.join('\n')}\n\nexport const entries = {\n${table.join('\n')}\n};\n`;
}
