import { StorageError } from '@hubline/core';

/**
 * Whether `error` says that better-sqlite3's native addon could not be loaded: not built at all (pnpm 10 skips
 * dependencies' build scripts unless allowed: "Could not locate the bindings file"), or built for another
 * runtime (an Electron app using a build for Node: "was compiled against a different Node.js version").
 *
 * @param error - what opening the database threw
 */
export function isNativeAddonMissing(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    /Could not locate the bindings file/.test(error.message) ||
    /NODE_MODULE_VERSION/.test(error.message) ||
    ((error as { code?: unknown }).code === 'ERR_DLOPEN_FAILED' && /better_sqlite3/.test(error.message))
  );
}

/**
 * The error `openOutbox` raises when better-sqlite3's native addon is missing: what happened and what to run.
 *
 * @param error - the loader's error, kept as `cause`
 * @param path - the database path, for the message
 */
export function nativeAddonMissingError(error: unknown, path: string): StorageError {
  const first = (error as Error).message.split('\n')[0];
  return new StorageError(
    `Outbox open failed for "${path}": better-sqlite3's native addon is not built for this runtime (${first}). ` +
      'With pnpm 10, which skips build scripts unless allowed, run `pnpm approve-builds` (or add ' +
      '`onlyBuiltDependencies: [better-sqlite3]` to pnpm-workspace.yaml) and then `pnpm rebuild better-sqlite3`; ' +
      "with npm, run `npm rebuild better-sqlite3`; in an Electron app, rebuild it for Electron's ABI " +
      '(`npx @electron/rebuild -f -w better-sqlite3`). Building needs a C/C++ toolchain where no prebuilt binary fits.',
    { code: 'NATIVE_ADDON_MISSING', cause: error },
  );
}
