import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HublineError, normalizeEvent, type TimelineEventInput } from '@hubline/core';
import { filter, firstValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../test/support/virtual-clock.js';
import type { Transport } from '../contracts.js';
import { createNodeHttpTransport } from '../transport/create-node-http-transport.js';
import { createTemplateLoader } from './create-template-loader.js';
import type { TemplateLoader, TemplateLoaderOptions, TemplateSourceStatus } from './types.js';

const APP_ID = 424242;
/** The developer key in these tests: `/`, `+` and `=` make its URL- and form-encoded forms differ from it. */
const DEVELOPER_KEY = 'dev-key/9f+x==7c';
const REFRESH_MS = 60_000;
const RETRY_MS = 5_000;
const TEMPLATES_PATH = `/integrators/timeline/v3/${APP_ID}/event-templates`;

const visit = {
  id: '1001234',
  name: 'visit',
  objectType: 'contacts',
  tokens: [{ name: 'page', type: 'string', label: 'Page', options: [] }],
};
const checkIn = { id: '1001235', name: 'check-in', objectType: 'companies', tokens: [] };

/** What the template server answers: a status and JSON, raw text, or a connection cut before any answer. */
type Reply = { status: number; body?: unknown; text?: string } | 'reset';

interface TemplateServer {
  readonly url: string;
  /** Every request: its path (without query), its query, and its Authorization header. */
  readonly requests: { path: string; query: URLSearchParams; authorization: string | undefined }[];
  /** Answer every following request with `reply`. */
  serve(reply: Reply): void;
}

const servers: Server[] = [];
const loaders: TemplateLoader[] = [];

afterEach(async () => {
  for (const loader of loaders.splice(0)) loader.stop();
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** A loopback server with HubSpot's template list route; it answers whatever the test last asked it to. */
async function startTemplateServer(first: Reply): Promise<TemplateServer> {
  let reply = first;
  const requests: TemplateServer['requests'] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ path: url.pathname, query: url.searchParams, authorization: req.headers.authorization });
    if (url.pathname !== TEMPLATES_PATH) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"status":"error","message":"not found"}');
      return;
    }
    if (reply === 'reset') {
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(reply.text ?? JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    serve: (next) => {
      reply = next;
    },
  };
}

const list = (...templates: unknown[]): Reply => ({ status: 200, body: { results: templates } });

function startLoader(options: Partial<TemplateLoaderOptions> & { baseUrl: string }): TemplateLoader {
  const loader = createTemplateLoader({
    appId: APP_ID,
    developerApiKey: DEVELOPER_KEY,
    refreshMs: REFRESH_MS,
    retryMs: RETRY_MS,
    requestTimeoutMs: 2_000,
    ...options,
  });
  loaders.push(loader);
  return loader;
}

type StatusIn<S extends TemplateSourceStatus['state']> = Extract<TemplateSourceStatus, { state: S }>;

/** The first status (the current one included) in `state` that also satisfies `predicate`. */
function until<S extends TemplateSourceStatus['state']>(
  loader: TemplateLoader,
  state: S,
  predicate: (status: StatusIn<S>) => boolean = () => true,
): Promise<StatusIn<S>> {
  return firstValueFrom(
    loader.status$.pipe(
      filter((status): status is StatusIn<S> => status.state === state && predicate(status as StatusIn<S>)),
    ),
  );
}

function event(input: Partial<TimelineEventInput>) {
  return normalizeEvent(
    { eventTemplateId: visit.id, email: 'ana@example.com', tokens: { page: '/pricing' }, ...input },
    { now: Date.UTC(2026, 2, 1), newId: () => 'evt-1' },
  );
}

describe('createTemplateLoader', () => {
  it('loads the templates with the developer key as hapikey, then checks events against them', async () => {
    const server = await startTemplateServer(list(visit, checkIn));
    const loader = startLoader({ baseUrl: server.url });
    expect(loader.status).toEqual({ state: 'loading' });
    expect(loader.ready).toBe(false);

    const status = await until(loader, 'loaded');

    expect(status).toMatchObject({ state: 'loaded', templates: 2 });
    expect(loader.ready).toBe(true);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.path).toBe(TEMPLATES_PATH);
    expect(server.requests[0]?.query.get('hapikey')).toBe(DEVELOPER_KEY);
    expect(loader.check(event({}))).toEqual([]);
    expect(loader.check(event({ tokens: { colour: 'red' } })).map((issue) => issue.path)).toEqual([
      'tokens.colour',
    ]);
    expect(loader.check(event({ eventTemplateId: '999' })).map((issue) => issue.path)).toEqual([
      'eventTemplateId',
    ]);
  });

  it('loads again after refreshMs, not before, and checks against the new list', async () => {
    const clock = createVirtualClock();
    const server = await startTemplateServer(list(visit));
    const loader = startLoader({ baseUrl: server.url, scheduler: clock.scheduler });
    const first = await until(loader, 'loaded');
    expect(first).toEqual({
      state: 'loaded',
      templates: 1,
      loadedAt: clock.now(),
      refreshAt: clock.now() + REFRESH_MS,
    });
    server.serve(list(checkIn));

    await clock.advance(REFRESH_MS - 1);
    expect(server.requests).toHaveLength(1);
    expect(loader.check(event({}))).toEqual([]);

    await clock.advance(1);
    await until(loader, 'loaded', (s) => s.loadedAt === first.refreshAt);
    expect(server.requests).toHaveLength(2);
    expect(loader.catalog?.templates.map((t) => t.id)).toEqual([checkIn.id]);
    expect(loader.check(event({})).map((issue) => issue.path)).toEqual(['eventTemplateId']);
  });

  it.each<[string, Reply, string, number | undefined]>([
    [
      'answers 503',
      { status: 503, body: { status: 'error', message: 'Service Unavailable' } },
      'HTTP_ERROR',
      503,
    ],
    ['cuts the connection', 'reset', 'TRANSPORT_FAILED', undefined],
    [
      'answers 200 with a captive portal page',
      { status: 200, text: '<html>Sign in to the Wi-Fi</html>' },
      'VALIDATION_FAILED',
      undefined,
    ],
  ])(
    'keeps the last good catalog when the source %s, says so, and retries after retryMs',
    async (_name, failure, code, status) => {
      const clock = createVirtualClock();
      const server = await startTemplateServer(list(visit));
      const loader = startLoader({ baseUrl: server.url, scheduler: clock.scheduler });
      const loaded = await until(loader, 'loaded');
      server.serve(failure);

      await clock.advance(REFRESH_MS);
      const stale = await until(loader, 'stale');

      expect(stale).toMatchObject({
        state: 'stale',
        templates: 1,
        loadedAt: loaded.loadedAt,
        retryAt: clock.now() + RETRY_MS,
      });
      const error = stale.error as HublineError & { status?: number };
      expect(error.code).toBe(code);
      expect(error.status).toBe(status);
      expect(loader.ready).toBe(true);
      expect(loader.check(event({ tokens: { colour: 'red' } })).map((issue) => issue.path)).toEqual([
        'tokens.colour',
      ]);

      server.serve(list(visit, checkIn));
      await clock.advance(RETRY_MS);
      await until(loader, 'loaded');
      expect(loader.catalog?.templates).toHaveLength(2);
    },
  );

  it('records unchecked while no load has succeeded, says so, and starts checking once one does', async () => {
    const clock = createVirtualClock();
    const server = await startTemplateServer('reset');
    const loader = startLoader({ baseUrl: server.url, scheduler: clock.scheduler });

    const unavailable = await until(loader, 'unavailable');
    expect(unavailable).toMatchObject({ state: 'unavailable', retryAt: clock.now() + RETRY_MS });
    expect(loader.ready).toBe(false);
    expect(loader.catalog).toBeUndefined();
    expect(loader.check(event({ eventTemplateId: '999', tokens: { anything: 1 } }))).toEqual([]);

    server.serve(list(visit));
    await clock.advance(RETRY_MS);
    await until(loader, 'loaded');
    expect(loader.check(event({ eventTemplateId: '999' })).map((issue) => issue.path)).toEqual([
      'eventTemplateId',
    ]);
  });

  it('is unavailable, not blocking, when nothing listens at the base URL', async () => {
    const server = await startTemplateServer(list(visit));
    const closed = servers.pop()!;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const loader = startLoader({ baseUrl: server.url });

    const status = await until(loader, 'unavailable');
    expect(status.error.code).toBe('TRANSPORT_FAILED');
    expect(loader.check(event({ eventTemplateId: '999' }))).toEqual([]);
  });

  it('never lets the developer key into an error, a status or a log line, whoever echoes it', async () => {
    const encoded = encodeURIComponent(DEVELOPER_KEY);
    const forms = [
      DEVELOPER_KEY,
      encoded,
      encoded.toLowerCase(),
      new URLSearchParams({ k: DEVELOPER_KEY }).toString().slice(2),
    ];
    const server = await startTemplateServer({
      status: 401,
      body: {
        status: 'error',
        category: 'INVALID_AUTHENTICATION',
        message: `The API key ${DEVELOPER_KEY} (hapikey=${encoded}) is invalid`,
      },
    });
    const lines: unknown[] = [];
    const logger = {
      debug: (...args: unknown[]) => lines.push(args),
      info: (...args: unknown[]) => lines.push(args),
      warn: (...args: unknown[]) => lines.push(args),
      error: (...args: unknown[]) => lines.push(args),
    };
    const viaServer = startLoader({ baseUrl: server.url, logger });
    const refused = await until(viaServer, 'unavailable');

    // A transport that quotes the URL it was given in its failure message, query string and all.
    const quoting: Transport = async (request) => ({
      kind: 'failure',
      failure: 'reset',
      message: `GET ${request.baseUrl}${request.path}: socket hang up`,
    });
    const viaTransport = startLoader({ baseUrl: server.url, logger, transport: quoting });
    const failed = await until(viaTransport, 'unavailable');

    expect(server.requests[0]?.query.get('hapikey')).toBe(DEVELOPER_KEY);
    const refusal = refused.error;
    expect(refusal.code).toBe('UNAUTHORIZED');
    expect(refusal.message).toMatch(/HTTP 401: The API key \[redacted\] \(hapikey=\[redacted\]\) is invalid/);
    expect(failed.error.message).toMatch(/event-templates\?hapikey=\[redacted\]: socket hang up/);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const everything = JSON.stringify([
      refused,
      failed,
      refusal.message,
      failed.error.message,
      lines,
      String(refusal.stack),
    ]);
    for (const form of forms) expect(everything).not.toContain(form);
  });

  it('sends a bearer token instead of a key when given accessToken, and invalidates it on 401', async () => {
    const server = await startTemplateServer({ status: 401, body: { status: 'error', message: 'expired' } });
    const invalidated: string[] = [];
    let current = 'token-1';
    const loader = startLoader({
      baseUrl: server.url,
      developerApiKey: undefined,
      accessToken: { getToken: async () => current, invalidate: (token) => invalidated.push(token) },
    });
    await until(loader, 'unavailable');
    expect(invalidated).toEqual(['token-1']);

    current = 'token-2';
    server.serve(list(visit));
    await loader.refresh();
    expect(loader.status.state).toBe('loaded');
    expect(server.requests.map((r) => [r.authorization, r.query.has('hapikey')])).toEqual([
      ['Bearer token-1', false],
      ['Bearer token-2', false],
    ]);
  });

  it('joins a load under way instead of sending a second request', async () => {
    const server = await startTemplateServer(list(visit));
    const loader = startLoader({ baseUrl: server.url });
    const [a, b] = await Promise.all([loader.refresh(), loader.refresh()]);
    expect(a).toBe(b);
    expect(a.state).toBe('loaded');
    expect(server.requests).toHaveLength(1);
  });

  it('stops loading on stop(): no more requests, status$ completes, the last catalog still checks', async () => {
    const clock = createVirtualClock();
    const server = await startTemplateServer(list(visit));
    const loader = startLoader({ baseUrl: server.url, scheduler: clock.scheduler });
    await until(loader, 'loaded');
    const rest = firstValueFrom(loader.status$.pipe(toArray()));

    loader.stop();
    loader.stop();
    await clock.advance(REFRESH_MS * 3);

    expect(await rest).toEqual([
      expect.objectContaining({ state: 'loaded' }),
      { state: 'stopped', templates: 1 },
    ]);
    expect(server.requests).toHaveLength(1);
    expect(await loader.refresh()).toEqual({ state: 'stopped', templates: 1 });
    expect(loader.check(event({ eventTemplateId: '999' })).map((issue) => issue.path)).toEqual([
      'eventTemplateId',
    ]);
  });

  it('reads a list larger than a transport reads by default', async () => {
    const many = Array.from({ length: 750 }, (_, index) => ({
      ...visit,
      id: String(2_000_000 + index),
      detailTemplate: 'x'.repeat(2_000),
    }));
    const server = await startTemplateServer(list(...many));
    const loader = startLoader({ baseUrl: server.url });
    expect(await loader.refresh()).toMatchObject({ state: 'loaded', templates: 750 });

    const capped = startLoader({ baseUrl: server.url, transport: createNodeHttpTransport() });
    const status = await until(capped, 'unavailable');
    expect(status.error.message).toMatch(/body-too-large/);
  });

  it('refuses unusable options, naming each and quoting no credential', () => {
    const secret = 'has a space-4c1d';
    let thrown: unknown;
    try {
      createTemplateLoader({
        appId: 'abc',
        developerApiKey: secret,
        baseUrl: 'https://api.hubapi.com/?hapikey=x',
        refreshMs: 0,
        catalog: { dateTokens: 'iso' as never },
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((thrown as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual([
      'appId',
      'developerApiKey',
      'baseUrl',
      'refreshMs',
      'catalog.dateTokens',
    ]);
    expect(String((thrown as Error).message)).not.toContain(secret);
    expect(() => createTemplateLoader({ appId: 1 })).toThrow(
      /developerApiKey: is required \(or give accessToken\)/,
    );
    expect(() => createTemplateLoader({ appId: 1, developerApiKey: 'k', accessToken: 't' })).toThrow(
      /not both/,
    );
    expect(() => createTemplateLoader({ appId: 1, accessToken: '' })).toThrow(
      /accessToken: must not be an empty string/,
    );
  });
});
