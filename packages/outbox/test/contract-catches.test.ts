import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TempDir, tempDir } from './support.js';

const CONFIG = fileURLToPath(new URL('./fixtures/mutant.vitest.config.ts', import.meta.url));
/** vitest's own command line (`vitest.mjs` beside its manifest), run by this Node. */
const VITEST = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

interface JsonReport {
  testResults: { assertionResults: { title: string; status: 'passed' | 'failed' }[] }[];
}

describe('the storage contract suite', () => {
  let temp: TempDir;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.remove());

  it('fails a store that ignores lost leases, where it matters and nowhere else', () => {
    const report = join(temp.dir, 'report.json');
    spawnSync(
      process.execPath,
      [VITEST, 'run', '--config', CONFIG, '--reporter=json', `--outputFile=${report}`],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const results = (JSON.parse(readFileSync(report, 'utf8')) as JsonReport).testResults.flatMap(
      (file) => file.assertionResults,
    );
    const failed = results.filter((result) => result.status === 'failed').map((result) => result.title);
    expect(results.length).toBeGreaterThan(20);
    expect(failed.sort()).toEqual(
      [
        'refuses a settlement whose lease was taken over, and never applies one twice',
        'refuses a failure or a dead letter from an owner that lost the lease, leaving the entry as it was',
        'never lets two claimers hold the same entry: each entry is claimed exactly once',
        // Each of these ends by settling a lease that was taken over.
        'ends a lease on time when the clock steps back 1 h',
        'ends a lease on time when the clock steps back 1 day',
        'ends a lease on time when the clock steps forward 1 h',
        'ends a lease on time when the clock steps forward 1 day',
      ].sort(),
    );
  }, 180_000);
});
