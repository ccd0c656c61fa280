import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { errorBody, proxyHtmlBody, rateLimitBody, serverErrorBody } from './bodies.js';
import { registerControlRoutes } from './control-routes.js';
import { defaultTemplates } from './default-templates.js';
import { EventStore } from './event-store.js';
import { FaultPlanner } from './fault-planner.js';
import { defaultLimits, mergeLimits } from './limits.js';
import { type RateBudgetLeft, RateLimiter } from './rate-limiter.js';
import { compileTemplates } from './templates.js';
import {
  type ApiContext,
  createBatch202603,
  createBatchV3,
  createOneV3,
  getOneV3,
  type Outcome,
} from './timeline-handlers.js';
import { TokenStore } from './token-store.js';
import type {
  EmulatorCounters,
  EmulatorOptions,
  FaultKind,
  RequestLogEntry,
  ResolvedLimits,
  RunningEmulator,
} from './types.js';

/** Fastify's own cap; the configurable `maxBodyBytes` is checked below it so it can change at run time. */
const hardBodyLimit = 128 * 1024 * 1024;
const json = 'application/json;charset=utf-8';
/** `/__emulator` and everything under it: the control surface, never logged, counted, faulted or limited. */
const controlPath = /^\/__emulator(?:[/?]|$)/;
const serverErrors: Partial<Record<FaultKind, number>> = {
  'error-500': 500,
  'error-502': 502,
  'error-503': 503,
  'error-504': 504,
};

interface RequestState {
  readonly entry: RequestLogEntry;
  readonly t0: number;
  /** The limiter's verdict, once it was consulted; until then the headers report the budget left. */
  rate?: RateBudgetLeft;
}

/** Whether a Content-Type header names JSON (`application/json`, any parameters, any case). */
function isJson(type: string | undefined): boolean {
  if (type === undefined) return false;
  const semi = type.indexOf(';');
  return (semi === -1 ? type : type.slice(0, semi)).trim().toLowerCase() === 'application/json';
}

/** The default sleep: a real timer, cleared when `signal` aborts. */
function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}

function emptyCounters(): EmulatorCounters {
  return {
    requests: 0,
    eventsStored: 0,
    duplicateIdsSeen: 0,
    rateLimited: 0,
    faultsInjected: 0,
    resets: 0,
    byStatus: {},
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** The HTTP routes of the timeline API, each answered by a handler of `timeline-handlers.ts`. */
type ApiRun = (body: unknown, ctx: ApiContext, request: FastifyRequest) => Outcome;

/**
 * Starts a local HubSpot timeline API on loopback: the v3 batch, single and read routes (and their old
 * `/crm/v3/timeline/events` paths), the `2026-03` batch route, `POST /oauth/v1/token`, and the
 * `/__emulator/…` control routes. Latency and faults are drawn from a seeded PRNG (faults only for requests
 * that get past the body cap, auth and the rate limit), so a run can be replayed.
 *
 * @param options - templates, auth, limits, faults, clock, sleep; all optional.
 * @returns the running emulator: its `url`, inspection and control methods, and `stop()`.
 * @example
 * ```ts
 * await using emu = await startEmulator({ faults: { seed: 7, rates: { 'error-503': 0.1 } } });
 * await fetch(`${emu.url}/integrators/timeline/v3/events/batch/create`, {
 *   method: 'POST',
 *   headers: { authorization: 'Bearer hubline-emulator-token', 'content-type': 'application/json' },
 *   body: JSON.stringify({ inputs: [{ eventTemplateId: '1001234', id: 'e1', email: 'ana@example.com', tokens: { page: '/pricing', seconds: '42' } }] }),
 * });
 * emu.events(); // [{ id: 'e1', ... }]
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? Date.now;
  const templates = compileTemplates(options.templates ?? defaultTemplates);
  const tokens = new TokenStore(options.auth);
  const planner = new FaultPlanner(options.faults);
  const limiter = new RateLimiter();
  const store = new EventStore();
  const maxLog = options.maxRequestLog ?? 10_000;
  let limits: ResolvedLimits = mergeLimits(defaultLimits, options.limits ?? {});
  let log: RequestLogEntry[] = [];
  let counters = emptyCounters();
  let seq = 0;
  let stopped = false;
  let online = true;
  let transition: Promise<void> = Promise.resolve();
  const wait = options.sleep ?? realSleep;
  // Aborted by stop(): ends every pending delay. Each delay listens while it waits, so there may be many.
  const stopping = new AbortController();
  setMaxListeners(0, stopping.signal);
  const sockets = new Set<Socket>();
  const states = new WeakMap<IncomingMessage, RequestState>();

  const app = Fastify({ logger: false, bodyLimit: hardBodyLimit, forceCloseConnections: true });
  // Every body of every content type is kept raw, as a Buffer: the size cap is judged on all of them (a
  // parser handing over a string would skip it), then auth, rate limit and faults, before any is parsed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  /** The injected (or real) sleep, ended early by `stop()` whether or not the injected one honours the signal. */
  function sleep(ms: number): Promise<void> {
    const signal = stopping.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done);
      wait(ms, signal).then(done, done);
    });
  }

  function arrive(request: FastifyRequest): void {
    seq += 1;
    counters.requests += 1;
    const q = request.url.indexOf('?');
    const entry: RequestLogEntry = {
      seq,
      method: request.method,
      path: q === -1 ? request.url : request.url.slice(0, q),
      status: null,
      receivedAt: clock(),
    };
    log.push(entry);
    if (log.length > maxLog * 2) log = log.slice(-maxLog);
    states.set(request.raw, { entry, t0: performance.now() });
  }

  /** What is left of the budget of the request's bearer, without spending any. */
  function budgetLeft(request: FastifyRequest): RateBudgetLeft {
    const key = tokens.rateKey(request.headers.authorization);
    if (key === undefined) return { remaining: limits.rateLimit, dailyRemaining: limits.dailyLimit };
    return limiter.peek(key, clock(), limits);
  }

  /** Logs the status of every answer but the control routes', and puts the rate-limit headers on it. */
  function onSend(request: FastifyRequest, reply: FastifyReply): void {
    const state = states.get(request.raw);
    if (state === undefined) return;
    const status = reply.statusCode;
    state.entry.status = status;
    state.entry.durationMs = performance.now() - state.t0;
    counters.byStatus[status] = (counters.byStatus[status] ?? 0) + 1;
    if (status === 429) counters.rateLimited += 1;
    const rate = state.rate ?? budgetLeft(request);
    reply.header('x-hubspot-ratelimit-max', String(limits.rateLimit));
    reply.header('x-hubspot-ratelimit-remaining', String(rate.remaining));
    reply.header('x-hubspot-ratelimit-interval-milliseconds', String(limits.rateWindowMs));
    if (limits.dailyLimit !== undefined) {
      reply.header('x-hubspot-ratelimit-daily', String(limits.dailyLimit));
      if (rate.dailyRemaining !== undefined) {
        reply.header('x-hubspot-ratelimit-daily-remaining', String(rate.dailyRemaining));
      }
    }
  }

  function answer(
    reply: FastifyReply,
    status: number,
    body: Record<string, unknown> | string,
    headers?: Record<string, string>,
  ): FastifyReply {
    if (headers !== undefined) for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    if (typeof body === 'string') return reply.code(status).type('text/html; charset=utf-8').send(body);
    return reply.code(status).type(json).send(JSON.stringify(body));
  }

  /** Destroys the connection without an answer, as a broken network or a crashed proxy would. */
  function reset(request: FastifyRequest, reply: FastifyReply, countAsFault: boolean): void {
    const state = states.get(request.raw);
    if (state !== undefined) state.entry.durationMs = performance.now() - state.t0;
    if (countAsFault) counters.resets += 1;
    reply.hijack();
    request.raw.socket.destroy();
  }

  async function api(
    request: FastifyRequest,
    reply: FastifyReply,
    run: ApiRun,
  ): Promise<FastifyReply | undefined> {
    const state = states.get(request.raw)!;
    const { entry } = state;
    const delayMs = planner.delayMs();
    if (delayMs > 0) {
      await sleep(delayMs);
      if (stopped) return void reset(request, reply, false);
    }
    const raw = request.body instanceof Buffer ? request.body : undefined;
    if (raw !== undefined && raw.byteLength > limits.maxBodyBytes) return tooLarge(reply, raw.byteLength);
    const now = clock();
    const auth = tokens.check(request.headers.authorization, now);
    if (!auth.ok) {
      const extras = {
        ...(auth.context === undefined ? {} : { context: auth.context }),
        ...(auth.errors === undefined ? {} : { errors: auth.errors }),
      };
      return answer(reply, auth.status, errorBody(auth.category, auth.message, extras));
    }
    entry.auth = auth.label;
    const verdict = limiter.take(auth.key, now, limits);
    if (!verdict.allowed) {
      state.rate = { remaining: 0, dailyRemaining: verdict.dailyRemaining };
      return answer(reply, 429, rateLimitBody(verdict.policy));
    }
    state.rate = { remaining: verdict.remaining, dailyRemaining: verdict.dailyRemaining };
    // Drawn only here, so a queued fault is never spent on a request refused by the cap, auth or the limiter.
    const decision = planner.next();
    const fault = decision.fault;
    if (fault !== undefined) {
      entry.fault = fault;
      counters.faultsInjected += 1;
      const s = planner.settings;
      const statusOf5xx = serverErrors[fault];
      if (statusOf5xx !== undefined) {
        const body =
          decision.html && statusOf5xx !== 500 ? proxyHtmlBody(statusOf5xx) : serverErrorBody(statusOf5xx);
        return answer(reply, statusOf5xx, body);
      }
      switch (fault) {
        case 'rate-limit-burst':
          state.rate = { remaining: 0, dailyRemaining: state.rate.dailyRemaining };
          return answer(reply, 429, rateLimitBody('TEN_SECONDLY_ROLLING'));
        case 'locked-423':
          return answer(
            reply,
            423,
            errorBody('LOCKED', `The resource is locked. Locks last for ${s.retryAfterSeconds} seconds.`),
            { 'retry-after': String(s.retryAfterSeconds) },
          );
        case 'migrating-477':
          return answer(
            reply,
            477,
            errorBody(
              'MIGRATION_IN_PROGRESS',
              `This account is being migrated; retry after ${s.retryAfterSeconds} seconds.`,
            ),
            { 'retry-after': String(s.retryAfterSeconds) },
          );
        case 'reset-before-store':
          return void reset(request, reply, true);
        case 'slow':
          await sleep(s.slowMs);
          if (stopped) return void reset(request, reply, false);
          break;
        default:
          break;
      }
    }
    let body: unknown;
    if (raw !== undefined && raw.byteLength > 0) {
      const type = request.headers['content-type'];
      if (!isJson(type)) return unsupportedType(reply, type);
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (error) {
        const message = `Invalid input JSON: ${(error as Error).message}`;
        return answer(reply, 400, errorBody('VALIDATION_ERROR', message));
      }
    }
    const at = clock();
    const outcome = run(
      body,
      {
        templates,
        store,
        limits,
        counters,
        seq: entry.seq,
        now: at,
        startedAt: new Date(entry.receivedAt).toISOString(),
      },
      request,
    );
    if (outcome.inputs !== undefined) entry.inputs = outcome.inputs;
    entry.stored = outcome.stored;
    if (fault === 'reset-after-store') return void reset(request, reply, true);
    return answer(reply, outcome.status, outcome.body);
  }

  /** The spec declares only `application/json` bodies; HubSpot's answer to others is unknown, so 415. */
  function unsupportedType(reply: FastifyReply, type: string | undefined): FastifyReply {
    if (type === undefined) {
      const message = 'The request body has no Content-Type; send it as application/json.';
      return answer(reply, 415, errorBody('UNSUPPORTED_MEDIA_TYPE', message));
    }
    const message = `Content-Type ${type} is not supported; send the body as application/json.`;
    return answer(
      reply,
      415,
      errorBody('UNSUPPORTED_MEDIA_TYPE', message, { context: { contentType: [type] } }),
    );
  }

  function tooLarge(reply: FastifyReply, bytes: number | undefined): FastifyReply {
    const message =
      bytes === undefined
        ? `Request body exceeds the limit of ${limits.maxBodyBytes} bytes.`
        : `Request body of ${bytes} bytes exceeds the limit of ${limits.maxBodyBytes} bytes.`;
    return answer(
      reply,
      413,
      errorBody('VALIDATION_ERROR', message, { context: { maxBytes: [String(limits.maxBodyBytes)] } }),
    );
  }

  // Every request but the control routes is logged and counted, unknown routes included.
  app.addHook('onRequest', (request, _reply, done) => {
    if (!controlPath.test(request.url)) arrive(request);
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    onSend(request, reply);
    done(null, payload);
  });
  const route = (run: ApiRun) => (request: FastifyRequest, reply: FastifyReply) => api(request, reply, run);
  const batchV3 = route((body, ctx) => createBatchV3(body, ctx));
  const oneV3 = route((body, ctx) => createOneV3(body, ctx));
  const getV3 = route((_body, ctx, request) => {
    const params = request.params as { eventTemplateId: string; eventId: string };
    return getOneV3(params.eventTemplateId, params.eventId, ctx);
  });
  for (const prefix of ['/integrators/timeline/v3/events', '/crm/v3/timeline/events']) {
    app.post(`${prefix}/batch/create`, batchV3);
    app.post(prefix, oneV3);
    app.get(`${prefix}/:eventTemplateId/:eventId`, getV3);
  }
  app.post(
    '/integrators/timeline/2026-03/events/batch',
    route((body, ctx) => createBatch202603(body, ctx)),
  );

  app.post('/oauth/v1/token', (request, reply) => {
    const text = request.body instanceof Buffer ? request.body.toString('utf8') : '';
    const result = tokens.refresh(new URLSearchParams(text), clock());
    if (result.ok) return answer(reply, 200, result.body);
    return answer(reply, result.status, {
      status: result.category,
      message: result.message,
      correlationId: randomUUID(),
      category: result.category,
    });
  });

  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, _request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return tooLarge(reply, undefined);
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    const category = status < 500 ? 'VALIDATION_ERROR' : 'INTERNAL_ERROR';
    return answer(reply, status, errorBody(category, error.message));
  });
  app.setNotFoundHandler((request, reply) =>
    answer(reply, 404, errorBody('NOT_FOUND', `No route for ${request.method} ${request.url}`)),
  );

  async function setOnline(next: boolean, keep?: Socket): Promise<void> {
    transition = transition.then(async () => {
      if (stopped || next === online) return;
      if (next) {
        await listen(app.server, port, host);
        online = true;
        return;
      }
      online = false;
      app.server.close();
      for (const socket of sockets) if (socket !== keep) socket.destroy();
    });
    return transition;
  }

  const emulator: RunningEmulator = {
    get url() {
      return `http://${host}:${port}`;
    },
    get port() {
      return port;
    },
    get controlUrl() {
      return `http://${host}:${controlPort}`;
    },
    get online() {
      return online;
    },
    events: () => store.list(),
    requests: () => log.slice(-maxLog).map((e) => ({ ...e })),
    counters: () => ({ ...counters, byStatus: { ...counters.byStatus } }),
    reset() {
      store.clear();
      log = [];
      counters = emptyCounters();
      limiter.clear();
      planner.restart();
    },
    setFaults: (faults) => planner.update(faults),
    faults: () => planner.settings,
    setLimits(next) {
      limits = mergeLimits(limits, next);
    },
    limits: () => limits,
    setOnline: (next) => setOnline(next),
    issueToken: (issue) => tokens.issue(clock(), issue),
    async stop() {
      if (stopped) return;
      stopped = true;
      stopping.abort();
      await transition.catch(() => undefined);
      control.close();
      control.closeAllConnections();
      await app.close();
    },
    [Symbol.asyncDispose]() {
      return emulator.stop();
    },
  };

  registerControlRoutes(app, {
    emulator,
    templates: templates.list,
    goOffline: (socket) => setOnline(false, socket),
    sleep,
  });

  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await app.listen({ port: options.port ?? 0, host });
  const port = (app.server.address() as AddressInfo).port;
  const control = createServer(app.routing);
  await listen(control, options.controlPort ?? 0, host);
  const controlPort = (control.address() as AddressInfo).port;
  if (options.online === false) await setOnline(false);
  return emulator;
}
