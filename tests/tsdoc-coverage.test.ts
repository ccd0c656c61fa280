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

/** `name` of every exported declaration or member without TSDoc in `text`. */
function undocumented(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const missing: string[] = [];
  const line = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const checkMembers = (owner: string, node: ts.Node): void => {
    const visit = (child: ts.Node): void => {
      if (isDocumentedMember(child) && !isDiscriminant(child) && !hasDoc(child)) {
        const name = (child as ts.ClassElement).name?.getText(source) ?? 'constructor';
        missing.push(`${owner}.${name} (line ${line(child)})`);
      }
      // Parameters and bodies are not members; nested object types (a union's variants) are.
      if (ts.isFunctionLike(child) && !ts.isMethodSignature(child)) return;
      child.forEachChild(visit);
    };
    node.forEachChild(visit);
  };
  for (const statement of source.statements) {
    if (!isExported(statement)) continue;
    if (ts.isVariableStatement(statement)) {
      if (!hasDoc(statement))
        missing.push(`${statement.declarationList.declarations[0]?.name.getText(source)}`);
      continue;
    }
    if (
      ts.isInterfaceDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isFunctionDeclaration(statement)
    ) {
      const name = statement.name?.text ?? '(default)';
      if (!hasDoc(statement)) missing.push(name);
      if (!ts.isFunctionDeclaration(statement)) checkMembers(name, statement);
    }
  }
  return missing;
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
