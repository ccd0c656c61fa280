/**
 * core is the pure heart of Hubline: no I/O, no clock or timers of its own, and no dependency on the packages
 * built on it (DESIGN: core ← outbox ← sync ← demo). These tests read the source to keep it so.
 */
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { SRC_DIR, shippedSourceFiles } from './support/source-files.js';

const PACKAGE_DIR = path.resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

/** The runtime dependencies core has, and may have: a schema library and the id generator. */
const ALLOWED_DEPENDENCIES = ['ulid', 'zod'];

/** Globals that reach the network, the file system, the process or a timer. */
const IO_GLOBALS = new Set([
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'process',
  'require',
  'Buffer',
  'Deno',
  'Bun',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
]);

/** Every shipped source file, named relative to `src/`, with its text. */
const files = shippedSourceFiles().map((file) => ({
  name: path.relative(SRC_DIR, file),
  file,
  text: readFileSync(file, 'utf8'),
}));

/** Every module specifier a file names: static and dynamic imports, re-exports, `require`. */
function specifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((reference) => reference.fileName);
}

/** The names of global I/O the file refers to (not property names such as `options.fetch`). */
function ioGlobalsUsed(name: string, text: string): string[] {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && IO_GLOBALS.has(node.text) && isReference(node)) found.push(node.text);
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent)) && parent.name === node)
    return false;
  if (ts.isPropertyDeclaration(parent) && parent.name === node) return false;
  return true;
}

describe('@hubline/core boundaries', () => {
  it('reads real source files', () => {
    expect(files.map((f) => f.name)).toContain('index.ts');
    expect(files.length).toBeGreaterThan(20);
  });

  it('depends at runtime on zod and ulid only', () => {
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual(ALLOWED_DEPENDENCIES);
    expect(manifest.peerDependencies ?? {}).toEqual({});
    expect(manifest.optionalDependencies ?? {}).toEqual({});
  });

  it.each(files.map((f) => [f.name, f] as const))(
    '%s imports only its own modules, zod and ulid: no node: built-ins, no sibling package',
    (_name, { file, text }) => {
      for (const specifier of specifiers(text)) {
        if (specifier.startsWith('.')) {
          const target = path.resolve(path.dirname(file), specifier);
          expect(target.startsWith(`${SRC_DIR}${path.sep}`), `${specifier} leaves src/`).toBe(true);
          continue;
        }
        expect(isBuiltin(specifier), `${specifier} is a Node built-in`).toBe(false);
        expect(specifier.startsWith('@hubline/'), `${specifier} is a sibling package`).toBe(false);
        expect(ALLOWED_DEPENDENCIES, `${specifier} is not a dependency of core`).toContain(specifier);
      }
    },
  );

  it.each(files.map((f) => [f.name, f] as const))('%s uses no global I/O or timers', (name, { text }) => {
    expect(ioGlobalsUsed(name, text)).toEqual([]);
  });

  it('would notice an import of a built-in, a sibling package or a global timer', () => {
    const text = "import { readFileSync } from 'node:fs';\nexport * from '@hubline/outbox';\nsetTimeout(f);";
    expect(specifiers(text)).toEqual(['node:fs', '@hubline/outbox']);
    expect(isBuiltin('node:fs')).toBe(true);
    expect(ioGlobalsUsed('x.ts', `${text}\nconst o = { fetch: 1 }; o.fetch;`)).toEqual(['setTimeout']);
  });
});
