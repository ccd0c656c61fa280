import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Demo } from '../demo/create-demo.js';
import type { DemoSnapshot } from '../demo/snapshot.js';
import { FAULT_PROFILE_NAMES, isFaultProfileName } from '../faults/fault-profiles.js';

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

/** The largest burst one click may record. */
const MAX_BURST = 5000;

interface StaticFile {
  readonly type: string;
  readonly body: Buffer;
}

function loadStaticFiles(): Map<string, StaticFile> {
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The web dashboard: a static page (plain HTML and one JS module, uPlot for the chart) and a small JSON API on
 * 127.0.0.1. `GET /api/stream` is a server-sent event stream with one snapshot per demo sample (every
 * 500 ms by default).
 *
 * Routes: `GET /api/snapshot`, `GET /api/series`, `GET /api/stream`, `POST /api/network {online}` (or
 * `{schedule: true}` to follow the outage schedule again), `POST /api/recording {on}`, `POST /api/faults {profile}`,
 * `POST /api/burst {count}`, `POST /api/invalid`, `GET /api/dead?limit=`, `POST /api/requeue {ids | all: true}`,
 * `GET /api/recent?limit=` (the latest ids recorded), `GET /api/events/:id` (one event's lifecycle, in words).
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
  const streams = new Set<{ end(): void }>();
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

/** `?limit=` of a list route, from 1 to `max`; `fallback` when absent or not a number. */
function queryLimit(query: unknown, fallback: number, max: number): number {
  const raw = (query as Record<string, string | undefined>).limit;
  return Math.min(max, Math.max(1, Number(raw ?? fallback) || fallback));
}

function buildApp(
  demo: Demo,
  files: Map<string, StaticFile>,
  streams: Set<{ end(): void }>,
): FastifyInstance {
  const app: FastifyInstance = Fastify({ logger: false, forceCloseConnections: true });

  for (const [path, file] of files) {
    app.get(path, (_request, reply) =>
      reply.type(file.type).header('cache-control', 'no-store').send(file.body),
    );
  }

  app.get('/api/info', () => ({
    target: demo.target,
    emulatorUrl: demo.emulatorUrl ?? null,
    faultProfiles: FAULT_PROFILE_NAMES,
    controls: {
      network: true,
      faults: demo.target === 'emulator',
    },
    note:
      demo.target === 'emulator'
        ? null
        : 'Sending to real HubSpot: fault injection is off, and "go offline" only tells the engine the network is down.',
  }));

  app.get('/api/snapshot', () => demo.snapshot());
  app.get('/api/series', () => ({ points: demo.series() }));

  app.get('/api/stream', (_request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const send = (snapshot: DemoSnapshot): void => {
      raw.write(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
    };
    send(demo.snapshot());
    const subscription = demo.snapshot$.subscribe({ next: send, complete: () => raw.end() });
    const stream = {
      end() {
        subscription.unsubscribe();
        raw.end();
      },
    };
    streams.add(stream);
    raw.on('close', () => {
      subscription.unsubscribe();
      streams.delete(stream);
    });
  });

  // Browsers ask for it whatever the page says; the page carries its icon inline.
  app.get('/favicon.ico', (_request, reply) =>
    reply.code(204).header('cache-control', 'max-age=86400').send(),
  );

  app.post('/api/network', async (request, reply) => {
    const body = request.body;
    if (isObject(body) && body.schedule === true) {
      await demo.resumeSchedule();
      const snapshot = demo.snapshot();
      return { online: snapshot.online, scheduledDrops: snapshot.scheduledDrops };
    }
    if (!isObject(body) || typeof body.online !== 'boolean') {
      return reply.code(400).send({
        message: 'body.online must be a boolean (or body.schedule: true to follow the schedule again)',
      });
    }
    await demo.setNetwork(body.online);
    return { online: demo.snapshot().online };
  });

  app.post('/api/recording', (request, reply) => {
    const body = request.body;
    if (!isObject(body) || typeof body.on !== 'boolean') {
      return reply.code(400).send({ message: 'body.on must be a boolean' });
    }
    demo.setRecording(body.on);
    return { recording: demo.snapshot().recording };
  });

  app.post('/api/faults', (request, reply) => {
    const body = request.body;
    if (demo.target !== 'emulator') {
      return reply
        .code(409)
        .send({ message: 'fault profiles need the emulator; this demo sends to real HubSpot' });
    }
    if (!isObject(body) || !isFaultProfileName(body.profile)) {
      return reply
        .code(400)
        .send({ message: `body.profile must be one of ${FAULT_PROFILE_NAMES.join(', ')}` });
    }
    demo.setFaultProfile(body.profile);
    return { profile: body.profile };
  });

  app.post('/api/burst', (request, reply) => {
    const body = request.body;
    const count = isObject(body) && body.count !== undefined ? body.count : 200;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1 || count > MAX_BURST) {
      return reply.code(400).send({ message: `body.count must be an integer from 1 to ${MAX_BURST}` });
    }
    return { recorded: demo.burst(count) };
  });

  app.post('/api/invalid', () => ({ id: demo.recordInvalid() }));

  app.get('/api/dead', (request) => {
    return { dead: demo.listDead(queryLimit(request.query, 100, 500)) };
  });

  app.get('/api/recent', (request) => {
    return { recent: demo.recent(queryLimit(request.query, 10, 50)) };
  });

  app.post('/api/requeue', (request, reply) => {
    const body = request.body;
    if (isObject(body) && body.all === true) return { requeued: demo.requeue('all-dead') };
    if (!isObject(body) || !Array.isArray(body.ids) || !body.ids.every((id) => typeof id === 'string')) {
      return reply.code(400).send({ message: 'body.ids must be a list of event ids (or body.all: true)' });
    }
    return { requeued: demo.requeue(body.ids as string[]) };
  });

  app.get('/api/events/:id', (request, reply) => {
    const { id } = request.params as { id: string };
    const found = demo.lookup(id.trim());
    if (found === undefined)
      return reply.code(404).send({ message: `no event with id "${id}" in this outbox` });
    return found;
  });

  app.setErrorHandler((error, _request, reply) => {
    const message = error instanceof Error ? error.message : String(error);
    const status = error instanceof RangeError ? 409 : ((error as { statusCode?: number }).statusCode ?? 500);
    void reply.code(status).send({ message });
  });

  return app;
}
