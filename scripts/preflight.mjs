#!/usr/bin/env node
// Checks what `pnpm test` or `pnpm demo` needs before either starts, so a missing prerequisite stops the run at
// once with the one command that fixes it, instead of failing deep in the suite. Where it can (root, with apt, as
// in CI) it installs what is missing itself.
//
// Usage: node scripts/preflight.mjs <test|demo>
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CHROMIUM_ENV, chromiumInstallHint, findChromium } from './find-chromium.mjs';

const root = join(import.meta.dirname, '..');

/** Thrown by a check: what is wrong and the one command that fixes it. */
class Missing extends Error {
  /**
   * @param {string} what
   * @param {string} fix
   */
  constructor(what, fix) {
    super(`${what}\n  fix: ${fix}`);
  }
}

/**
 * Whether `version` (e.g. `20.19.1`) satisfies a range made of `^x.y.z` and `>=x.y.z` alternatives joined by
 * `||`, the only forms the root `engines.node` uses. Anything else throws, so a new form is noticed here.
 *
 * @param {string} version
 * @param {string} range
 */
function satisfies(version, range) {
  const parse = (text) => text.split('.').map(Number);
  const atLeast = (a, b) => (a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] >= b[2]);
  const have = parse(version);
  return range.split('||').some((part) => {
    const alternative = part.trim();
    if (alternative.startsWith('^')) {
      const floor = parse(alternative.slice(1));
      return have[0] === floor[0] && atLeast(have, floor);
    }
    if (alternative.startsWith('>=')) return atLeast(have, parse(alternative.slice(2)));
    throw new Error(`preflight cannot read the engines range "${alternative}"`);
  });
}

function checkNode() {
  const range = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;
  if (!satisfies(process.versions.node, range))
    throw new Missing(
      `Node ${process.versions.node} is not supported (engines: ${range}).`,
      'install Node 22 LTS or 20.19+',
    );
  return `node ${process.versions.node}`;
}

function checkInstalled() {
  if (!existsSync(join(root, 'node_modules/.pnpm')))
    throw new Missing('The workspace is not installed.', 'pnpm install');
  return 'workspace installed';
}

function loadSqlite() {
  try {
    const Database = createRequire(join(root, 'packages/outbox/package.json'))('better-sqlite3');
    new Database(':memory:').close();
    return undefined;
  } catch (error) {
    return String(error?.message).split('\n')[0];
  }
}

function hasToolchain() {
  return ['cc', 'c++', 'make', 'python3'].every((tool) => spawnSync(tool, ['--version']).status === 0);
}

/**
 * better-sqlite3's native addon is built at install time: from a prebuilt binary, or compiled from source with a
 * C/C++ toolchain and Python when none fits this Node. As root with apt (CI), a missing toolchain is installed and
 * the addon rebuilt.
 */
function checkSqlite() {
  let problem = loadSqlite();
  if (problem === undefined) return 'better-sqlite3 loads';
  if (canApt() && (hasToolchain() || aptInstall(['build-essential', 'python3']))) {
    spawnSync('pnpm', ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit' });
    problem = loadSqlite();
    if (problem === undefined) return 'better-sqlite3 rebuilt and loads';
  }
  const toolchain = process.platform === 'linux' ? 'sudo apt-get install -y build-essential python3 && ' : '';
  throw new Missing(
    `better-sqlite3's native addon does not load (${problem}). pnpm builds it at install time, from a ` +
      'prebuilt binary or, when none fits this Node, from source with a C/C++ toolchain and Python.',
    `${toolchain}pnpm rebuild better-sqlite3`,
  );
}

function canApt() {
  return (
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    spawnSync('apt-get', ['--version']).status === 0
  );
}

function aptInstall(packages) {
  console.log(`preflight: installing ${packages.join(' ')} with apt-get (running as root)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...packages],
  ]) {
    const run = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (run.status !== 0) return false;
  }
  return true;
}

/** The dashboard's browser test drives a real Chromium (playwright-core does not download one). */
function checkChromium() {
  let found = findChromium();
  if (found === undefined && canApt() && aptInstall(['chromium'])) found = findChromium();
  if (found === undefined)
    throw new Missing(
      "Chromium is needed for the dashboard's browser test.",
      `${chromiumInstallHint()}   (or point ${CHROMIUM_ENV} at another Chrome/Chromium)`,
    );
  const setBy = found.fromEnv ? ` (${CHROMIUM_ENV})` : '';
  if (!found.executable)
    throw new Missing(
      `${found.path}${setBy} is not an executable file.`,
      `point ${CHROMIUM_ENV} at a Chrome/Chromium executable, or unset it`,
    );
  const version = spawnSync(found.path, ['--headless', '--no-sandbox', '--version'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (version.status !== 0) {
    const why = version.error?.message ?? (version.stderr.trim() || `exit status ${version.status}`);
    const fix = found.fromEnv ? `point ${CHROMIUM_ENV} at a working Chrome/Chromium` : chromiumInstallHint();
    throw new Missing(`${found.path}${setBy} does not start: ${why}`, fix);
  }
  return `${version.stdout.trim()}${setBy}`;
}

/**
 * @hubline/postgres's tests start throwaway clusters from Debian's server binaries (`initdb`, `pg_ctl`), unless
 * HUBLINE_PG_URL points them at a server of your own.
 */
function checkPostgres() {
  if (process.env.HUBLINE_PG_URL) return 'HUBLINE_PG_URL (a server of your own)';
  let bin = findPostgresBin();
  if (bin === undefined && canApt() && aptInstall(['postgresql'])) bin = findPostgresBin();
  if (bin === undefined)
    throw new Missing(
      "PostgreSQL's server binaries are needed for @hubline/postgres's tests.",
      `${process.platform === 'linux' ? 'sudo apt-get install -y postgresql' : 'install PostgreSQL 15+'}   (or set HUBLINE_PG_URL to a server's URL)`,
    );
  return bin;
}

/** The newest `/usr/lib/postgresql/<version>/bin` holding `initdb`, or undefined. */
function findPostgresBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length === 0 ? undefined : join(root, versions[0], 'bin');
}

const CHECKS = {
  test: [checkNode, checkInstalled, checkSqlite, checkChromium, checkPostgres],
  demo: [checkNode, checkInstalled, checkSqlite],
};

const command = process.argv[2];
const checks = CHECKS[command];
if (checks === undefined) {
  console.error(`usage: node scripts/preflight.mjs <${Object.keys(CHECKS).join('|')}>`);
  process.exit(2);
}
const passed = [];
for (const check of checks) {
  try {
    passed.push(check());
  } catch (error) {
    if (!(error instanceof Missing)) throw error;
    console.error(`\npnpm ${command} cannot run yet: ${error.message}\n`);
    process.exit(1);
  }
}
console.log(`preflight: ${passed.join(', ')}`);
