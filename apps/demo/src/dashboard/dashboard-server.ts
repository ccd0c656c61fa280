import Fastify, { type FastifyInstance } from 'fastify';
import type { Demo } from '../demo/create-demo.js';
import { registerAccountRoutes } from './account-routes.js';
import { registerControlRoutes } from './control-routes.js';
import { registerReadRoutes } from './read-routes.js';
import { type OpenStream, registerSnapshotStream } from './snapshot-stream.js';
import { loadStaticFiles, registerStaticFiles, type StaticFile } from './static-files.js';

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** The demo to show and steer. */
  readonly demo: Demo;
  /** Port on 127.0.0.1; 0 picks a free one. When taken, a free one is used instead. */
  readonly port: number;
}

/** A running dashboard. */
export interface Dashboard {
  /** e.g. `http://127.0.0.1:4310/` */
  readonly url: string;
  /** Close the stream connections and the server. */
  close(): Promise<void>;
}

/**
 * The web dashboard: a static page (plain HTML and one JS module, uPlot for the chart) and a small JSON API on
 * 127.0.0.1. `GET /api/stream` is a server-sent event stream with one snapshot per demo sample (every
 * 500 ms by default).
 *
 * Routes: `GET /api/snapshot`, `GET /api/series`, `GET /api/stream`, `POST /api/network {online}` (or
 * `{schedule: true}` to follow the outage schedule again), `POST /api/recording {on}`, `POST /api/faults {profile}`,
 * `POST /api/burst {count}`, `POST /api/invalid`, `GET /api/dead?limit=`, `POST /api/requeue {ids | all: true}`,
 * `GET /api/recent?limit=` (the latest ids recorded), `GET /api/events/:id` (one event's lifecycle, in words),
 * and the accounts and dead-letter repair routes of {@link registerAccountRoutes}.
 *
 * @param options - see {@link DashboardOptions}
 * @example
 * ```ts
 * const dashboard = await startDashboard({ demo, port: 0 });
 * console.log(`Dashboard: ${dashboard.url}`);
 * ```
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const files = loadStaticFiles();
  const streams = new Set<OpenStream>();
  let app = buildApp(options.demo, files, streams);
  let address: string;
  try {
    address = await app.listen({ host: '127.0.0.1', port: options.port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.port === 0) throw error;
    await app.close();
    app = buildApp(options.demo, files, streams);
    address = await app.listen({ host: '127.0.0.1', port: 0 });
  }

  return {
    url: `${address}/`,
    async close() {
      for (const stream of streams) stream.end();
      streams.clear();
      await app.close();
    },
  };
}

/** One server: the static files, the read routes, the snapshot stream and the controls. */
function buildApp(
  demo: Demo,
  files: ReadonlyMap<string, StaticFile>,
  streams: Set<OpenStream>,
): FastifyInstance {
  const app: FastifyInstance = Fastify({ logger: false, forceCloseConnections: true });
  registerStaticFiles(app, files);
  registerReadRoutes(app, demo);
  registerSnapshotStream(app, demo, streams);
  registerControlRoutes(app, demo);
  registerAccountRoutes(app, demo);
  // A refusal the demo states as a RangeError (no schedule, shutting down, no emulator) is a conflict, not a crash.
  app.setErrorHandler((error, _request, reply) => {
    const message = error instanceof Error ? error.message : String(error);
    const status = error instanceof RangeError ? 409 : ((error as { statusCode?: number }).statusCode ?? 500);
    void reply.code(status).send({ message });
  });
  return app;
}
