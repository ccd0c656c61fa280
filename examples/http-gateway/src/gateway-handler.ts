import type { IncomingMessage, ServerResponse } from 'node:http';
import { isHublineError, type Logger, type TimelineEventInput, type ValidationError } from '@hubline/core';
import type { Outbox } from '@hubline/outbox';
import { clientEvents } from './client-events.js';
import type { ClientKeyCheck } from './client-keys.js';
import { readJsonBody } from './read-json-body.js';

/** What the request handler needs. */
export interface GatewayHandlerOptions {
  /** Where accepted events are recorded. */
  readonly outbox: Outbox;
  /** Which client a key belongs to (see `createKeyCheck`). */
  readonly clientOf: ClientKeyCheck;
  /** The event templates clients may record into. */
  readonly templateIds: readonly string[];
  /** Web origins whose pages may call the gateway; others get no CORS headers, so their browsers refuse. */
  readonly allowedOrigins: readonly string[];
  /** A request body's cap. */
  readonly maxBodyBytes: number;
  /** Where failures are reported. */
  readonly logger: Logger;
}

/** The header that carries a client's API key. */
const API_KEY_HEADER = 'x-api-key';

/**
 * The gateway's routes: `POST /events` (one event or an array, JSON) answers `202 { ids }` once every event is on
 * disk, all or none; `GET /health` answers 200. Refusals: `401` without a known API key, `415` without a JSON
 * content type, `413` past the body cap, `400 { issues }` naming each bad field (nothing is recorded), `409` for an
 * id already recorded with other content, `503` when the outbox is full. An event the client already sent, with
 * the same id and content, is accepted again and recorded once.
 *
 * @param options - the outbox, the client keys and the limits
 */
export function createGatewayHandler(options: GatewayHandlerOptions) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    allowOrigin(options, request, response);
    const route = `${request.method} ${new URL(request.url ?? '/', 'http://gateway').pathname}`;
    if (route === 'OPTIONS /events') return preflight(response);
    if (route === 'GET /health') return send(response, 200, { ok: true });
    if (route !== 'POST /events') return send(response, 404, { error: 'NOT_FOUND' });
    const { status, body, headers } = await acceptEvents(options, request);
    return send(response, status, body, headers);
  };
}

/** CORS headers for a page of an allowed origin; none for any other, so its browser refuses the answer. */
function allowOrigin(
  options: GatewayHandlerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const origin = request.headers.origin;
  if (origin === undefined || !options.allowedOrigins.includes(origin)) return;
  response.setHeader('access-control-allow-origin', origin);
  response.setHeader('vary', 'origin');
}

/** `POST /events`: the client's key, its body and its events checked in that order, then recorded. */
async function acceptEvents(options: GatewayHandlerOptions, request: IncomingMessage): Promise<Answer> {
  const client = options.clientOf(request.headers[API_KEY_HEADER] as string | undefined);
  if (client === undefined) {
    request.resume();
    return {
      status: 401,
      body: { error: 'UNAUTHORIZED', message: `send your API key in ${API_KEY_HEADER}` },
    };
  }
  const body = await readJsonBody(request, options.maxBodyBytes);
  if (!body.ok) return { status: body.status, body: { error: body.message } };
  const checked = clientEvents(body.value, options.templateIds);
  if (!checked.ok) return { status: 400, body: { error: 'VALIDATION_FAILED', issues: checked.issues } };
  return record(options, client, checked.events, checked.batch);
}

/** An answer to send: status, JSON body, extra headers. */
interface Answer {
  readonly status: number;
  readonly body: object;
  readonly headers?: Record<string, string>;
}

/** Record the events (all or none) and say how it went. */
function record(
  options: GatewayHandlerOptions,
  client: string,
  events: readonly TimelineEventInput[],
  batch: boolean,
): Answer {
  try {
    // One transaction: a refused event anywhere records none, and the issues say `[index].field`.
    const ids = batch ? options.outbox.recordMany(events) : [options.outbox.record(events[0]!)];
    options.logger.debug('events recorded', { client, count: ids.length });
    return { status: 202, body: { ids } };
  } catch (error) {
    // By code, not `instanceof`: the outbox may carry its own copy of @hubline/core.
    if (isHublineError(error, 'VALIDATION_FAILED'))
      return { status: 400, body: { error: error.code, issues: (error as ValidationError).issues } };
    if (isHublineError(error, 'ID_CONFLICT'))
      return { status: 409, body: { error: error.code, message: error.message } };
    if (isHublineError(error, 'CAPACITY_EXCEEDED'))
      return { status: 503, body: { error: error.code }, headers: { 'retry-after': '60' } };
    options.logger.error('recording failed', { client, error });
    return { status: 500, body: { error: 'INTERNAL' } };
  }
}

function preflight(response: ServerResponse): void {
  // Without an allowed origin (set above) the browser refuses whatever these say.
  response.writeHead(204, {
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': `content-type, ${API_KEY_HEADER}`,
    'access-control-max-age': '600',
  });
  response.end();
}

function send(
  response: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}
