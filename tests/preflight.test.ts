/**
 * `pnpm test` and `pnpm demo` check their prerequisites before anything else runs, and a missing one stops the
 * run at once with the command that fixes it.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/workspace.js';

function preflight(command: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts/preflight.mjs'), command], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

describe('preflight', () => {
  it('passes on this machine, naming what it checked', () => {
    const run = preflight('test');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^preflight: node \d+\.\d+\.\d+, workspace installed, better-sqlite3 loads, .+/,
    );
  }, 60_000);

  it('stops at once when HUBLINE_CHROMIUM names no executable, saying how to fix it', () => {
    const run = preflight('test', { HUBLINE_CHROMIUM: path.join(ROOT, 'no-such-chrome') });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('pnpm test cannot run yet: ');
    expect(run.stderr).toMatch(
      /no-such-chrome \(HUBLINE_CHROMIUM\) is not an executable file\.\n {2}fix: point/,
    );
  }, 60_000);

  it('does not ask the demo for a browser', () => {
    const run = preflight('demo', { HUBLINE_CHROMIUM: path.join(ROOT, 'no-such-chrome') });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/chrom/i);
  }, 60_000);

  it('refuses a command it does not know', () => {
    expect(preflight('deploy').status).toBe(2);
  });
});
