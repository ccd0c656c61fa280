/**
 * The declarations a consumer of `@hubline/outbox` compiles against must not name a package it may not have
 * installed: better-sqlite3 ships no types, so a public `.d.ts` that imports it fails a strict consumer without
 * `@types/better-sqlite3` with TS7016. This emits the package's declarations as `pnpm build` does and follows
 * every import from each public entry.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
/** Every entry of the exports map: `.` and `./testing`. */
const ENTRIES = ['src/index.ts', 'src/testing/index.ts'];

/** Every declaration file emitted for the package's sources, by the path of its source without extension. */
function emitDeclarations(): Map<string, string> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(PACKAGE, 'tsconfig.build.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (config === undefined) throw new Error('tsconfig.build.json did not parse');
  const options: ts.CompilerOptions = {
    ...config.options,
    // Resolve the sibling packages from source, as the workspace does: their build may not exist.
    customConditions: ['@hubline/source'],
    declaration: true,
    emitDeclarationOnly: true,
    declarationMap: false,
    noEmit: false,
  };
  const program = ts.createProgram(
    ENTRIES.map((entry) => join(PACKAGE, entry)),
    options,
  );
  const out = new Map<string, string>();
  program.emit(undefined, (fileName, text, _bom, _onError, sources) => {
    const source = sources?.[0]?.fileName;
    if (source !== undefined && fileName.endsWith('.d.ts')) out.set(source.replace(/\.ts$/, ''), text);
  });
  return out;
}

describe('the public declarations', () => {
  it('never import better-sqlite3, from any module an entry reaches', () => {
    const declarations = emitDeclarations();
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (module: string) => {
      if (seen.has(module)) return;
      seen.add(module);
      const text = declarations.get(module);
      if (text === undefined) return; // another package's source, reached through its own entry
      for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
        if (fileName === 'better-sqlite3' || fileName.startsWith('better-sqlite3/')) offenders.push(module);
        if (fileName.startsWith('.')) visit(resolve(dirname(module), fileName).replace(/\.(js|ts)$/, ''));
      }
    };
    for (const entry of ENTRIES) visit(join(PACKAGE, entry).replace(/\.ts$/, ''));
    expect(seen.size).toBeGreaterThan(3);
    expect(offenders.map((file) => file.slice(PACKAGE.length))).toEqual([]);
  }, 60_000);
});
