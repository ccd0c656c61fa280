import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** How a child runs: TypeScript through the tsx loader, or one plain-JS bundle run by bare `node`. */
export type ChildRuntime = 'tsx' | 'bundled';

const cacheDir = fileURLToPath(new URL('../../node_modules/.cache/hubline-bench/', import.meta.url));

/**
 * Bundle a TypeScript file of this folder (workspace sources included, better-sqlite3 left outside as the native
 * module it is) into plain ESM, so a measured child runs under bare `node` without the tsx loader's ~60 MB.
 * esbuild is tsx's own dependency, so it is present wherever the benchmarks can run at all.
 *
 * @param file - file name inside `bench/support`
 * @returns the path of the bundle
 */
async function bundleChild(file: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const esbuild = createRequire(require.resolve('tsx/package.json'))('esbuild') as {
    build(options: Record<string, unknown>): Promise<unknown>;
  };
  const outfile = `${cacheDir}${file.replace(/\.ts$/, '.mjs')}`;
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL(`./${file}`, import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@hubline/source'],
    external: ['better-sqlite3'],
    outfile,
    // Bundled CommonJS code may still call require() for Node's built-ins.
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
    logLevel: 'warning',
    plugins: [
      {
        name: 'keep-source-urls',
        // Workspace code finds files beside it (the outbox's migrations) through import.meta.url, which a bundle
        // would otherwise point at itself: give each TypeScript source its own URL back.
        setup(build: {
          onLoad(filter: { filter: RegExp }, load: (args: { path: string }) => unknown): void;
        }) {
          build.onLoad({ filter: /\.ts$/ }, async (args) => ({
            contents: (await readFile(args.path, 'utf8')).replaceAll(
              'import.meta.url',
              JSON.stringify(pathToFileURL(args.path).href),
            ),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  return outfile;
}

/**
 * Run a TypeScript file of this folder in its own node process and resolve with the first line it prints, parsed
 * as JSON, and a way to stop it.
 *
 * @param file - file name inside `bench/support`
 * @param argument - passed as one JSON argument
 * @param runtime - `tsx` (workspace sources through the loader) or `bundled` (see {@link bundleChild})
 * @param nodeFlags - extra flags for the child's `node`, e.g. `--max-semi-space-size=2`
 */
export async function spawnJsonChild<T>(
  file: string,
  argument: unknown,
  runtime: ChildRuntime = 'tsx',
  nodeFlags: readonly string[] = [],
): Promise<{ value: T; stop(): Promise<void> }> {
  const args =
    runtime === 'bundled'
      ? [...nodeFlags, await bundleChild(file), JSON.stringify(argument)]
      : [
          ...nodeFlags,
          '--conditions=@hubline/source',
          '--import',
          'tsx',
          fileURLToPath(new URL(`./${file}`, import.meta.url)),
          JSON.stringify(argument),
        ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const value = await new Promise<T>((resolve, reject) => {
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end >= 0) resolve(JSON.parse(buffer.slice(0, end)) as T);
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before printing a result`)));
  });
  return {
    value,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
