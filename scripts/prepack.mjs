#!/usr/bin/env node
// Every package's `prepack`: refuse any packer but pnpm, then build `dist/` afresh.
//
// Only pnpm turns `workspace:*` into real versions and applies `.pnpmfile.cjs` (which drops the `@hubline/source`
// condition); `npm pack` / `npm publish` in a package folder would ship both, and the package would not install.
// Rebuilding from an empty `dist/` keeps files of renamed or deleted modules out of the tarball.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const agent = process.env.npm_config_user_agent ?? '';
if (!agent.startsWith('pnpm/')) {
  console.error(
    `Refusing to pack with "${agent.split(' ')[0] || 'an unknown tool'}": only pnpm replaces workspace:* ` +
      'ranges and strips the workspace-only export condition. Use `pnpm pack` or `pnpm release`.',
  );
  process.exit(1);
}

rmSync('dist', { recursive: true, force: true });
const build = spawnSync('pnpm', ['run', 'build'], { stdio: 'inherit' });
process.exit(build.status ?? 1);
