/**
 * The example typechecks with its own tsconfig.json — the one a user copies — against the hand-written
 * declaration of the Electron API it uses (electron.d.ts), since Electron itself cannot be installed here.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const EXAMPLE_DIR = path.resolve(import.meta.dirname, '..');
const TSC = createRequire(path.join(EXAMPLE_DIR, 'package.json')).resolve('typescript/bin/tsc');

describe('the Electron main-process example', () => {
  it('typechecks with its own tsconfig (tsc --noEmit)', () => {
    const run = spawnSync(
      process.execPath,
      [TSC, '--noEmit', '-p', path.join(EXAMPLE_DIR, 'tsconfig.json')],
      {
        encoding: 'utf8',
        timeout: 110_000,
      },
    );
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 120_000);
});
