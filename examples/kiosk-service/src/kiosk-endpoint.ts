import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isHublineError, type Logger, type ValidationError } from '@hubline/core';
import type { Outbox } from '@hubline/outbox';
import { describeError } from './json-logger.js';
import { type KioskEventKind, kioskEvent, requestIssue } from './kiosk-events.js';

/** Options of {@link startKioskEndpoint}. */
export interface KioskEndpointOptions {
  /** Where check-ins and scans are recorded. */
  readonly outbox: Outbox;
  /** The event template of each kind. */
  readonly templates: Readonly<Record<'checkIn' | 'scan', string>>;
  /** Where to listen: keep it on loopback, the kiosk's screen runs on the same device. */
  readonly host: string;
  /** `0` picks a free port. */
  readonly port: number;
  /** Where refusals and failures are reported. */
  readonly logger: Logger;
  /** The time of a scan. @default () => new Date() */
  readonly now?: () => Date;
}

/** The running endpoint. */
export interface KioskEndpoint {
  /** `http://host:port`. */
  readonly url: string;
  /**
   * Stop accepting requests and resolve once the ones under way are answered; connections still open after
   * `graceMs` (a screen that stopped halfway through a body) are cut.
   */
  close(graceMs?: number): Promise<void>;
}

/** A kiosk request body is a handful of fields. */
const MAX_BODY_BYTES = 16 * 1024;

const ROUTES: Readonly<Record<string, KioskEventKind>> = { '/check-ins': 'check-in', '/scans': 'scan' };

/**
 * The kiosk screen's local endpoint: `POST /check-ins` and `POST /scans` with a JSON body record one event each
 * and answer `202 { id }` once it is on disk (delivery follows whenever HubSpot can be reached); a body that is
 * not a usable request is `400 { issues }` naming each field, and nothing is recorded.
 *
 * @param options - the outbox, templates and where to listen
 * @example
 * ```ts
 * const endpoint = await startKioskEndpoint({ outbox, templates, host: '127.0.0.1', port: 8787, logger });
 * // curl -X POST http://127.0.0.1:8787/check-ins -H 'Content-Type: application/json' \
 * //   -d '{"companyId":"512","location":"Front desk","guests":2}'
 * ```
 */
export async function startKioskEndpoint(options: KioskEndpointOptions): Promise<KioskEndpoint> {
  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      options.logger.error('kiosk request failed', { error: describeError(error) });
      answer(response, 500, { error: 'could not record the event' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return { url: `http://${address}:${port}`, close: (graceMs = 1000) => closeServer(server, graceMs) };
}

async function handle(options: KioskEndpointOptions, request: IncomingMessage, response: ServerResponse) {
  const kind = ROUTES[request.url ?? ''];
  if (kind === undefined) return answer(response, 404, { error: 'POST /check-ins or /scans' });
  const refusal = refuseRequest(options, request);
  if (refusal !== undefined) return answer(response, refusal.status, refusal.body, refusal.headers);
  const body = await readJson(request);
  if (body === TOO_LARGE) return answer(response, 413, { error: `at most ${MAX_BODY_BYTES} bytes` });
  if (body === NOT_JSON) return answer(response, 400, { issues: [{ path: '', message: 'must be JSON' }] });
  const templateId = kind === 'check-in' ? options.templates.checkIn : options.templates.scan;
  const event = kioskEvent(kind, body, templateId, options.now?.() ?? new Date());
  if (!event.ok) return answer(response, 400, { issues: event.issues });
  return record(options.outbox, kind, event.input, response);
}

/** An answer decided before the body is read. */
interface Refusal {
  readonly status: number;
  readonly body: object;
  readonly headers?: Record<string, string>;
}

/** Why a request to a known route is refused before its body is read, or nothing when it may go on. */
function refuseRequest(options: KioskEndpointOptions, request: IncomingMessage): Refusal | undefined {
  if (request.method !== 'POST')
    return { status: 405, body: { error: 'POST only' }, headers: { allow: 'POST' } };
  // A web page in the kiosk's browser may post to loopback too. Requiring JSON makes its browser ask first (a
  // CORS preflight, which this endpoint never grants), and checking Host defeats DNS rebinding.
  if (!hostAllowed(options.host, request.headers.host))
    return { status: 403, body: { error: 'unexpected Host' } };
  if (!isJson(request)) return { status: 415, body: { error: 'send Content-Type: application/json' } };
  return undefined;
}

/** Records a checked event and answers `202 { id }`, or the status that tells the screen why not. */
function record(
  outbox: Outbox,
  kind: KioskEventKind,
  input: Parameters<Outbox['record']>[0],
  response: ServerResponse,
) {
  try {
    return answer(response, 202, { id: outbox.record(input) });
  } catch (error) {
    // By code, not `instanceof`: the outbox may carry its own copy of @hubline/core.
    if (isHublineError(error, 'VALIDATION_FAILED')) {
      const { issues } = error as ValidationError;
      return answer(response, 400, { issues: issues.map((issue) => requestIssue(kind, issue)) });
    }
    if (isHublineError(error, 'ID_CONFLICT')) return answer(response, 409, { error: error.message });
    // The service is stopping and closed the outbox under a request that was still arriving.
    if (isHublineError(error, 'OUTBOX_CLOSED')) return answer(response, 503, { error: 'shutting down' });
    throw error;
  }
}

function isJson(request: IncomingMessage): boolean {
  return /^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '');
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** On loopback, only requests addressed to loopback: a rebound DNS name is someone else's page. */
function hostAllowed(listenHost: string, hostHeader: string | undefined): boolean {
  if (!LOOPBACK.has(listenHost)) return true;
  if (hostHeader === undefined) return false;
  const name = hostHeader.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return LOOPBACK.has(name);
}

const TOO_LARGE = Symbol('too large');
const NOT_JSON = Symbol('not JSON');

/** The body parsed as JSON. A body past the cap is read to its end (so the answer reaches the screen) but not kept. */
async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (bytes > MAX_BODY_BYTES) return TOO_LARGE;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function answer(
  response: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
