/**
 * Every export of every workspace package (the demo app included: it is the code people read first) carries
 * TSDoc, and so does every member of an exported class, interface or object type (constructors included): a
 * one-line summary at least. The one exception is a discriminant such as `type: 'Recorded'`, which the comment on
 * its variant already explains.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { TSDOC_DEBT } from './support/known-gaps.js';
import { ROOT, typeScriptFiles, workspacePackages } from './support/workspace.js';

const hasDoc = (node: ts.Node): boolean => ts.getJSDocCommentsAndTags(node).length > 0;

function isExported(node: ts.Node): boolean {
  return (ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
}

function isDiscriminant(node: ts.Node): boolean {
  return ts.isPropertySignature(node) && node.type !== undefined && ts.isLiteralTypeNode(node.type);
}

function isPrivate(node: ts.ClassElement): boolean {
  if (node.name !== undefined && ts.isPrivateIdentifier(node.name)) return true;
  return (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Private) !== 0;
}

function isDocumentedMember(child: ts.Node): boolean {
  return (
    ts.isPropertySignature(child) ||
    ts.isMethodSignature(child) ||
    ((ts.isPropertyDeclaration(child) ||
      ts.isMethodDeclaration(child) ||
      ts.isConstructorDeclaration(child) ||
      ts.isGetAccessorDeclaration(child)) &&
      !isPrivate(child))
  );
}

/** `Owner.member (line n)` for every member of `node` (nested object types included) without TSDoc. */
function undocumentedMembers(owner: string, node: ts.Node, source: ts.SourceFile): string[] {
  const missing: string[] = [];
  const visit = (child: ts.Node): void => {
    if (isDocumentedMember(child) && !isDiscriminant(child) && !hasDoc(child)) {
      const name = (child as ts.ClassElement).name?.getText(source) ?? 'constructor';
      const line = source.getLineAndCharacterOfPosition(child.getStart(source)).line + 1;
      missing.push(`${owner}.${name} (line ${line})`);
    }
    // Parameters and bodies are not members; nested object types (a union's variants) are.
    if (ts.isFunctionLike(child) && !ts.isMethodSignature(child)) return;
    child.forEachChild(visit);
  };
  node.forEachChild(visit);
  return missing;
}

/** What one top-level statement leaves undocumented: nothing unless it is exported. */
function undocumentedIn(statement: ts.Statement, source: ts.SourceFile): string[] {
  if (!isExported(statement)) return [];
  if (ts.isVariableStatement(statement)) {
    return hasDoc(statement) ? [] : [`${statement.declarationList.declarations[0]?.name.getText(source)}`];
  }
  if (ts.isFunctionDeclaration(statement))
    return hasDoc(statement) ? [] : [statement.name?.text ?? '(default)'];
  if (
    ts.isInterfaceDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement)
  ) {
    const name = statement.name?.text ?? '(default)';
    return [...(hasDoc(statement) ? [] : [name]), ...undocumentedMembers(name, statement, source)];
  }
  return [];
}

/** `name` of every exported declaration or member without TSDoc in `text`. */
function undocumented(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  return source.statements.flatMap((statement) => undocumentedIn(statement, source));
}

const shipped = workspacePackages.flatMap((pkg) =>
  typeScriptFiles(path.join(pkg.dir, 'src'), { shippedOnly: true }).map(
    (file) => [path.relative(ROOT, file), file] as const,
  ),
);

describe('TSDoc in every package', () => {
  it('reads the shipped source of every package', () => {
    for (const pkg of workspacePackages)
      expect(shipped.some(([name]) => name.startsWith(`${pkg.relativeDir}/src/`))).toBe(true);
  });

  it.each(shipped)('%s documents every export and every member of an exported type', (name, file) => {
    const debt = new Set(TSDOC_DEBT[name] ?? []);
    const missing = undocumented(file, readFileSync(file, 'utf8')).filter(
      (item) => !debt.has(item.replace(/ \(line \d+\)$/, '')),
    );
    expect(missing).toEqual([]);
  });

  it('notices an undocumented export, member or constructor, and lets discriminants pass', () => {
    const text = [
      '/** Documented. */',
      'export interface A {',
      '  /** Documented. */',
      '  a: string;',
      '  b: number;',
      '}',
      "export type B = { readonly type: 'x'; value: number };",
      '/** Documented. */',
      'export class C { constructor() {} #hidden = 1; }',
    ].join('\n');
    expect(undocumented('x.ts', text)).toEqual([
      'A.b (line 5)',
      'B',
      'B.value (line 7)',
      'C.constructor (line 9)',
    ]);
  });
});
