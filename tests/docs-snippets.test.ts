/**
 * Every TypeScript block in the documentation type-checks against the workspace's packages as a user's app
 * would import them (`@hubline/sync`, `@hubline/outbox/testing`, …), so a renamed option or a removed export
 * cannot survive in a README.
 */
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { SNIPPET_DEBT } from './support/known-gaps.js';
import { documentationFiles, extractSnippets, type Snippet } from './support/markdown-snippets.js';
import { ROOT } from './support/workspace.js';

/**
 * The values a snippet leaves to the reader (their credentials, their UI, their own tables), declared once so
 * the snippets can stay short. Everything of Hubline's is imported in the snippet itself and checked.
 */
const READER_CONTEXT = `
import type { Observable } from 'rxjs';
import type pg from 'pg';
declare global {
  const clientId: string;
  const clientSecret: string;
  const refreshToken: string;
  const online$: Observable<boolean>;
  const ui: { show(status: unknown): void; counts(stats: unknown): void; showAccount(account: string, status: unknown): void };
  const now: number;
  const newId: () => string;
  const accessToken: string;
  const connectionString: string;
  const pool: pg.Pool;
  const client: pg.PoolClient;
  const orderId: string;
  const total: number;
  const email: string;
  const customer: { email: string };
}
export {};
`;

/** Where each package a snippet may import lives, for the snippets' own node_modules. */
const PACKAGES: Readonly<Record<string, string>> = {
  '@hubline/core': 'packages/core',
  '@hubline/outbox': 'packages/outbox',
  '@hubline/sync': 'packages/sync',
  '@hubline/emulator': 'packages/emulator',
  '@hubline/postgres': 'packages/postgres',
  rxjs: 'packages/sync/node_modules/rxjs',
  ky: 'packages/sync/node_modules/ky',
  pg: 'packages/postgres/node_modules/pg',
  'drizzle-orm': 'packages/postgres/node_modules/drizzle-orm',
  vitest: 'node_modules/vitest',
  '@types/node': 'node_modules/@types/node',
  '@types/pg': 'packages/postgres/node_modules/@types/pg',
};

const dir = mkdtempSync(path.join(tmpdir(), 'hubline-snippets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A folder that looks like a user's ESM app with the workspace's packages installed. */
function prepareApp(): void {
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  for (const [name, location] of Object.entries(PACKAGES)) {
    const link = path.join(dir, 'node_modules', name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(realpathSync(path.join(ROOT, location)), link, 'dir');
  }
  writeFileSync(path.join(dir, 'reader-context.d.ts'), READER_CONTEXT);
}

/** Type-check every snippet in one program; the diagnostics of each snippet, by snippet. */
function typecheck(snippets: readonly Snippet[]): Map<Snippet, string[]> {
  const files = new Map<string, Snippet>();
  snippets.forEach((snippet, index) => {
    const file = path.join(dir, `snippet-${index}.mts`);
    // `export {}` keeps each snippet a module of its own, so two snippets' `const outbox` do not collide.
    writeFileSync(file, `${snippet.code}\nexport {};\n`);
    files.set(file, snippet);
  });
  const base = ts.readConfigFile(path.join(ROOT, 'tsconfig.base.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, ROOT);
  const program = ts.createProgram([...files.keys(), path.join(dir, 'reader-context.d.ts')], {
    ...options,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [path.join(dir, 'node_modules/@types')],
    customConditions: ['@hubline/source'],
    // A snippet shows one step; what it declares and leaves unused is fine.
    noUnusedLocals: false,
    noUnusedParameters: false,
  });
  const found = new Map<Snippet, string[]>();
  for (const [file, snippet] of files) {
    const source = program.getSourceFile(file);
    const diagnostics = source === undefined ? [] : ts.getPreEmitDiagnostics(program, source);
    found.set(
      snippet,
      diagnostics.map((diagnostic) => {
        const at =
          diagnostic.start === undefined ? 0 : source!.getLineAndCharacterOfPosition(diagnostic.start).line;
        return `${snippet.file}:${snippet.line + 1 + at}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      }),
    );
  }
  return found;
}

describe('the documentation', () => {
  const snippets = documentationFiles(ROOT).flatMap((file) =>
    extractSnippets(file, readFileSync(path.join(ROOT, file), 'utf8')),
  );

  it('has TypeScript snippets in the root README and every library README', () => {
    const files = new Set(snippets.map((snippet) => snippet.file));
    for (const file of [
      'README.md',
      'packages/core/README.md',
      'packages/outbox/README.md',
      'packages/sync/README.md',
    ])
      expect(files).toContain(file);
  });

  it('type-checks every ```ts block against the packages as an app imports them', () => {
    prepareApp();
    const problems = [...typecheck(snippets).values()].flat();
    // Known gaps are matched without their line number, so an edit above them does not break the match.
    const unexpected = problems.filter((problem) => !SNIPPET_DEBT.includes(problem.replace(/:\d+: /, ': ')));
    expect(unexpected).toEqual([]);
  }, 300_000);
});
