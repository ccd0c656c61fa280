#!/usr/bin/env node
// `pnpm release [--dry-run] [--skip-checks]`: check, build and publish every library with pnpm.
//
// Before it, `pnpm changeset version` turns pending changesets into versions and CHANGELOG entries (committed).
// --dry-run     does everything but the upload (`pnpm publish --dry-run`); what CI runs.
// --skip-checks leaves out `pnpm test`, for CI, which has just run it.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const flags = new Set(process.argv.slice(2));
for (const flag of flags) {
  if (flag !== '--dry-run' && flag !== '--skip-checks') {
    console.error(`usage: pnpm release [--dry-run] [--skip-checks]   (unknown: ${flag})`);
    process.exit(2);
  }
}
const dryRun = flags.has('--dry-run');

/** Runs a pnpm command in the root, echoing it; stops the release when it fails. */
function pnpm(...args) {
  console.log(`\n▶ pnpm ${args.join(' ')}`);
  const run = spawnSync('pnpm', args, { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`\nrelease stopped: pnpm ${args.join(' ')} failed`);
    process.exit(run.status ?? 1);
  }
}

const pending = readdirSync(join(root, '.changeset')).filter(
  (file) => file.endsWith('.md') && file !== 'README.md',
);
if (pending.length > 0 && !dryRun) {
  console.error(
    `release stopped: ${pending.length} changeset(s) not yet versioned (${pending.join(', ')}).\n` +
      'Run `pnpm changeset version`, review and commit the versions and CHANGELOGs, then release.',
  );
  process.exit(1);
}
if (pending.length > 0)
  console.log(`(dry run: ${pending.length} changeset(s) await \`pnpm changeset version\`)`);

// A real release builds everything before the first upload, so a package that does not build cannot leave the
// others half-published; each package's prepack then builds it again from an empty dist/ as it is packed.
if (!dryRun) pnpm('build');
if (!flags.has('--skip-checks')) pnpm('test');
// pnpm, not npm: it replaces workspace:* ranges, applies .pnpmfile.cjs, and runs each package's prepack build.
// Only versions the registry does not have yet are published.
pnpm(
  'publish',
  '--recursive',
  '--filter',
  './packages/*',
  '--access',
  'public',
  ...(dryRun ? ['--dry-run', '--no-git-checks'] : []),
);
if (dryRun) {
  console.log('\nrelease dry run: everything but the upload passed');
} else {
  pnpm('changeset', 'tag'); // a git tag per published version; push them with `git push --follow-tags`
  console.log('\nreleased');
}
