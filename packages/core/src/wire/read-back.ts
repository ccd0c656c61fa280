import { hasLoneSurrogate } from '../event/well-formed.js';
import { connectionSignal } from './connection-signal.js';
import { describeThrown } from './describe-thrown.js';
import {
  isHubSpotErrorObject,
  isJsonObject,
  parseJsonSafely,
  readErrorObject,
  readHubSpotErrorBody,
} from './hubspot-error-body.js';
import { answerTiming, type InterpretOptions } from './interpret-options.js';
import type {
  GlobalSignal,
  HttpAnswer,
  InterpretContext,
  ReadBackInterpretation,
  ReadBackVerdict,
  WireDialect,
  WireRequest,
} from './types.js';

/**
 * The `GET` that reads one event back: `<prefix>/{eventTemplateId}/{eventId}`, each part URL-encoded (an id may
 * hold `/`, `?`, `#` or spaces), no body.
 *
 * @param prefix - The events path, e.g. `/integrators/timeline/v3/events`.
 * @param event - The event's id and template.
 */
export function readBackRequest(
  prefix: string,
  event: Parameters<NonNullable<WireDialect['readBack']>>[0],
): WireRequest {
  return {
    method: 'GET',
    path: `${prefix}/${encodePathPart(event.eventTemplateId)}/${encodePathPart(event.id)}`,
  };
}

/**
 * What the answer to a read-back says. `found` only when HubSpot answered 200 with a JSON object whose `id` is
 * the event's; `absent` only when HubSpot answered 404 with its own JSON error; 401, 403 and 429 carry the same
 * signals as for a batch; everything else — a proxy's page, a 5xx, a timeout, another event's body — is
 * `unknown`. Pure and total: never throws.
 *
 * @param id - The id of the event read back.
 * @param answer - What came back.
 * @param context - The time, for a `Retry-After` given as a date.
 * @param options - The delay defaults (a 429's pause).
 */
export function interpretReadBackAnswer(
  id: string,
  answer: HttpAnswer,
  context: InterpretContext | undefined,
  options: InterpretOptions | undefined,
): ReadBackInterpretation {
  try {
    if (answer.kind === 'failure') {
      const verdict = unknown(`${answer.failure}: ${answer.message}`);
      // No connection at all: the same pause as for a batch, so the engine waits for the network.
      return answer.failure === 'offline'
        ? { verdict, signal: { type: 'offline', message: answer.message } }
        : { verdict };
    }
    const timing = answerTiming(answer.headers, context, options);
    const withHeaders = (verdict: ReadBackVerdict, signal?: GlobalSignal): ReadBackInterpretation => ({
      verdict,
      ...(signal === undefined ? {} : { signal }),
      ...(timing.rateLimit === undefined ? {} : { rateLimit: timing.rateLimit }),
    });
    const { status, body } = answer;
    const signal = connectionSignal(status, readHubSpotErrorBody(body), body, timing);
    if (signal !== undefined) return withHeaders(unknown(`HTTP ${status}: ${signal.type}`), signal);
    return withHeaders(readBackVerdict(id, status, body));
  } catch (error) {
    return { verdict: unknown(`could not interpret the read-back: ${describeThrown(error)}`) };
  }
}

function readBackVerdict(id: string, status: number, body: string): ReadBackVerdict {
  if (status === 200) {
    const parsed = parseJsonSafely(body);
    if (isJsonObject(parsed) && parsed.id === id) return { type: 'found' };
    return unknown('HTTP 200 without this event in HubSpot’s JSON');
  }
  if (status === 404) {
    const parsed = parseJsonSafely(body);
    // A path segment `.` or `..` is resolved away by URL parsers, so the GET asked about another path.
    if (isHubSpotErrorObject(parsed) && !isDotSegment(id)) {
      const { message } = readErrorObject(parsed);
      return { type: 'absent', reason: `HTTP 404: ${message ?? 'not found'}` };
    }
    return unknown('HTTP 404 that is not HubSpot’s JSON error');
  }
  return unknown(`HTTP ${status}`);
}

function unknown(reason: string): ReadBackVerdict {
  return { type: 'unknown', reason };
}

function isDotSegment(part: string): boolean {
  return part === '.' || part === '..';
}

/** `encodeURIComponent`, which throws on half a surrogate pair; such text is refused at record time anyway. */
function encodePathPart(part: string): string {
  return encodeURIComponent(hasLoneSurrogate(part) ? part.replace(/\p{Cs}/gu, '\uFFFD') : part);
}
