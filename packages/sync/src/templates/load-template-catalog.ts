import {
  createTemplateCatalog,
  DeliveryError,
  type HttpAnswer,
  HublineError,
  isHublineError,
  parseTemplateList,
  type TemplateCatalog,
  type TemplateCatalogOptions,
} from '@hubline/core';
import type { Transport } from '../contracts.js';
import { redactSecrets } from '../transport/redact-secrets.js';
import type { TemplateCredential } from './template-loader-options.js';

/** What one load needs. */
export interface TemplateLoadRequest {
  /** Sends the `GET`; it never rejects. */
  readonly transport: Transport;
  /** HubSpot's API root (or a test server's), already checked: http(s), no user info, query or fragment. */
  readonly baseUrl: string;
  /** The app whose templates are loaded, as digits. */
  readonly appId: string;
  /** The developer key (sent as `hapikey`) or a token provider (sent as the bearer). */
  readonly credential: TemplateCredential;
  /** The request's deadline, in ms. */
  readonly timeoutMs: number;
  /** How strictly the catalog built from the answer checks events. */
  readonly catalog: TemplateCatalogOptions;
  /** Aborted when the loader stops: the request ends as a failure, never as a rejection. */
  readonly signal: AbortSignal;
}

/** One load's outcome: a catalog, or why there is none. Never a rejection. */
export type TemplateLoadResult =
  | {
      readonly ok: true;
      /** The catalog built from the templates HubSpot listed. */
      readonly catalog: TemplateCatalog;
    }
  | {
      readonly ok: false;
      /** Why there is none, with a stable code (see {@link loadTemplateCatalog}) and no credential in its message. */
      readonly error: HublineError;
    };

/** How much of HubSpot's own error message an error quotes. */
const QUOTED_MESSAGE_LENGTH = 300;

/**
 * Loads the app's templates once: `GET /integrators/timeline/v3/{appId}/event-templates` (the key as `hapikey`,
 * or the token as a bearer), then parses and checks the list into a catalog. Every failure is a result whose
 * error has a stable code — `TRANSPORT_FAILED` (no answer), `UNAUTHORIZED` (401), `FORBIDDEN` (403),
 * `HTTP_ERROR` (any other status but 200), `VALIDATION_FAILED` (a 200 that is not a template list) — and whose
 * message holds no credential in any encoding, even when the server or the transport echoes the URL.
 *
 * @param request - where, how and with what to ask.
 */
export async function loadTemplateCatalog(request: TemplateLoadRequest): Promise<TemplateLoadResult> {
  const secrets: string[] = request.credential.kind === 'api-key' ? [request.credential.key] : [];
  try {
    let accessToken = '';
    let path = `/integrators/timeline/v3/${request.appId}/event-templates`;
    if (request.credential.kind === 'api-key') {
      path += `?hapikey=${encodeURIComponent(request.credential.key)}`;
    } else {
      accessToken = await request.credential.provider.getToken({ baseUrl: request.baseUrl });
      secrets.push(accessToken);
    }
    const answer = await request.transport({
      baseUrl: request.baseUrl,
      path,
      method: 'GET',
      accessToken,
      timeoutMs: request.timeoutMs,
      signal: request.signal,
    });
    if (answer.kind === 'response' && answer.status === 401 && request.credential.kind === 'token') {
      request.credential.provider.invalidate(accessToken);
    }
    return readAnswer(answer, request.catalog, secrets);
  } catch (error) {
    return { ok: false, error: redactError(error, secrets) };
  }
}

function readAnswer(
  answer: HttpAnswer,
  options: TemplateCatalogOptions,
  secrets: readonly string[],
): TemplateLoadResult {
  const redact = (text: string): string => redactSecrets(text, secrets);
  if (answer.kind === 'failure') {
    return {
      ok: false,
      error: new DeliveryError(
        'TRANSPORT_FAILED',
        redact(`the template source did not answer (${answer.failure}): ${answer.message}`),
      ),
    };
  }
  const { status } = answer;
  if (status !== 200) {
    const said = hubspotMessage(answer.body);
    const message = redact(
      `the template source answered HTTP ${status}${said === undefined ? '' : `: ${said}`}`,
    );
    const code = status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : 'HTTP_ERROR';
    return { ok: false, error: new DeliveryError(code, message, { status }) };
  }
  // parseTemplateList and createTemplateCatalog throw a ValidationError naming the bad field; it never quotes
  // a credential, since the body is not echoed.
  return { ok: true, catalog: createTemplateCatalog(parseTemplateList(answer.body), options) };
}

/** HubSpot's `message` from an error body, shortened; `undefined` when the body is not one. */
function hubspotMessage(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const message = (parsed as { message?: unknown } | null)?.message;
    if (typeof message !== 'string') return undefined;
    return message.length > QUOTED_MESSAGE_LENGTH ? `${message.slice(0, QUOTED_MESSAGE_LENGTH)}…` : message;
  } catch {
    return undefined;
  }
}

/**
 * A thrown value as a Hubline error without a credential in its message: a token source's rejection, or the
 * catalog's ValidationError. The cause is dropped when the message had to be redacted, since it may hold the same.
 */
function redactError(error: unknown, secrets: readonly string[]): HublineError {
  const message = error instanceof Error ? error.message : String(error);
  const safe = redactSecrets(message, secrets);
  if (isHublineError(error) && safe === message) return error;
  const code = isHublineError(error) ? error.code : 'TRANSPORT_FAILED';
  return new HublineError(
    code,
    `could not load the templates: ${safe}`,
    safe === message ? { cause: error } : {},
  );
}
