/**
 * Test support: the TypeScript code blocks of the documentation, as a reader copies them.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** One fenced ```ts block. */
export interface Snippet {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  /** The 1-based line of the opening fence. */
  readonly line: number;
  /** The code, with the fence's own indentation removed. */
  readonly code: string;
}

/**
 * The documentation a user reads: the root README, every page of `docs/` (not the generated `docs/api/`), and
 * the README of every package and app. The examples' READMEs are left out: their code is the example's own
 * (`./hubline/main.js`, a preload's `window.hubline`), type-checked by the examples' tests in its folder.
 *
 * @param root - the repository root
 */
export function documentationFiles(root: string): string[] {
  const markdownIn = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
      .map((entry) => path.join(dir, entry.name));
  const readmesUnder = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(dir, entry.name, 'README.md'))
      .filter((file) => existsSync(path.join(root, file)));
  return ['README.md', ...markdownIn('docs'), ...readmesUnder('packages'), ...readmesUnder('apps')];
}

const OPENING = /^(\s*)```(ts|typescript)\s*$/;

/**
 * Every ```ts (or ```typescript) block of a Markdown text, also inside list items (indented fences).
 *
 * @param file - the file's name, for messages
 * @param text - its Markdown
 */
export function extractSnippets(file: string, text: string): Snippet[] {
  const lines = text.split('\n');
  const snippets: Snippet[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const opening = OPENING.exec(lines[index] ?? '');
    if (opening === null) continue;
    const indent = opening[1] ?? '';
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && (lines[end] ?? '').trim() !== '```') {
      const line = lines[end] ?? '';
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
      end += 1;
    }
    if (end === lines.length) throw new Error(`${file}:${index + 1}: a code block is never closed`);
    snippets.push({ file, line: index + 1, code: body.join('\n') });
    index = end;
  }
  return snippets;
}
