#!/usr/bin/env node
// Runs every package's benchmarks one after another (never in parallel: they would measure each other).
// Usage: pnpm bench [filter]   e.g. `pnpm bench outbox` runs only files whose path contains "outbox".
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const filter = process.argv[2] ?? '';
const files = [];
for (const group of ['packages', 'apps']) {
  for (const pkg of readdirSync(join(root, group))) {
    const dir = join(root, group, pkg, 'bench');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      if (file.endsWith('.bench.ts')) files.push(join(dir, file));
    }
  }
}
const selected = files.filter((file) => relative(root, file).includes(filter));
if (selected.length === 0) {
  console.log(`No benchmarks match "${filter}".`);
  process.exit(0);
}
let failed = 0;
for (const file of selected) {
  console.log(`\n▶ ${relative(root, file)}`);
  const run = spawnSync(
    process.execPath,
    ['--conditions=@hubline/source', '--import', 'tsx', '--expose-gc', file],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  if (run.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
