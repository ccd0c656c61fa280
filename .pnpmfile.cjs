// The published manifest of every package, shaped when `pnpm pack` / `pnpm publish` writes the tarball (pnpm ≥ 10.28;
// npm would skip this, which is why `scripts/prepack.mjs` refuses npm). The workspace's own package.json stays
// as it is.
// Editing this file changes the lockfile's pnpmfileChecksum: run `pnpm install` after.
'use strict';

/** The export condition that points the workspace, vitest and tsx at `src/`; a consumer never has `src` built. */
const SOURCE_CONDITION = '@hubline/source';

/** A copy of an `exports` value without the source condition, at any depth. */
function withoutSourceCondition(value) {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutSourceCondition);
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== SOURCE_CONDITION)
      .map(([key, inner]) => [key, withoutSourceCondition(inner)]),
  );
}

/** The names of dependencies still written with the `workspace:` protocol, which no registry can resolve. */
function workspaceRanges(pkg) {
  return ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) =>
    Object.entries(pkg[field] ?? {})
      .filter(([, range]) => String(range).startsWith('workspace:'))
      .map(([name, range]) => `${field}.${name}: ${range}`),
  );
}

/**
 * Strip what only the workspace uses (the source condition, scripts that call the workspace's own tools, dev
 * dependencies) and refuse to pack a manifest that would still name a `workspace:` range.
 */
function beforePacking(pkg) {
  const published = { ...pkg, exports: withoutSourceCondition(pkg.exports) };
  delete published.scripts;
  delete published.devDependencies;
  const leaks = workspaceRanges(published);
  if (leaks.length > 0)
    throw new Error(`${pkg.name}: refusing to pack workspace ranges (${leaks.join(', ')})`);
  return published;
}

module.exports = { hooks: { beforePacking } };
