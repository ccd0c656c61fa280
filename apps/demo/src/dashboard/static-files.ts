import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** A file the dashboard serves as it is. */
export interface StaticFile {
  /** Its `content-type`. */
  readonly type: string;
  /** Its bytes, read once at start. */
  readonly body: Buffer;
}

/**
 * Read the page, its script and style, and uPlot, keyed by the path they are served at. Read once, at start:
 * the files are small and do not change while the demo runs.
 */
export function loadStaticFiles(): Map<string, StaticFile> {
  const require = createRequire(import.meta.url);
  const publicDir = join(import.meta.dirname, 'public');
  const file = (path: string, type: string): StaticFile => ({ type, body: readFileSync(path) });
  return new Map([
    ['/', file(join(publicDir, 'index.html'), 'text/html; charset=utf-8')],
    ['/dashboard.js', file(join(publicDir, 'dashboard.js'), 'text/javascript; charset=utf-8')],
    ['/dashboard.css', file(join(publicDir, 'dashboard.css'), 'text/css; charset=utf-8')],
    [
      '/vendor/uPlot.iife.min.js',
      file(require.resolve('uplot/dist/uPlot.iife.min.js'), 'text/javascript; charset=utf-8'),
    ],
    ['/vendor/uPlot.min.css', file(require.resolve('uplot/dist/uPlot.min.css'), 'text/css; charset=utf-8')],
  ]);
}

/**
 * Serve `files` uncached, and an empty favicon: browsers ask for it whatever the page says, and the page carries
 * its icon inline.
 *
 * @param app - the dashboard's server
 * @param files - from {@link loadStaticFiles}
 */
export function registerStaticFiles(app: FastifyInstance, files: ReadonlyMap<string, StaticFile>): void {
  for (const [path, file] of files) {
    app.get(path, (_request, reply) =>
      reply.type(file.type).header('cache-control', 'no-store').send(file.body),
    );
  }
  app.get('/favicon.ico', (_request, reply) =>
    reply.code(204).header('cache-control', 'max-age=86400').send(),
  );
}
