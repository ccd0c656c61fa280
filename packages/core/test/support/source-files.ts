/** Test support: the shipped source of core, for tests that read it (boundaries, TSDoc). Not part of the package. */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

/** `packages/core/src`. */
export const SRC_DIR = path.resolve(import.meta.dirname, '../../src');

/**
 * Every shipped source file under `dir` (tests excluded), as absolute paths.
 *
 * @param dir - the folder to list; `src/` by default.
 */
export function shippedSourceFiles(dir = SRC_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return shippedSourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}
