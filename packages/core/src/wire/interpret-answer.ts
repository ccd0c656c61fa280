import { utf8ByteLength } from '../event/event-byte-length.js';
import { isAlreadyExists } from './already-exists.js';
import { escapeRegExp } from './escape-reg-exp.js';
import {
  type HubSpotErrorBody,
  isJsonObject,
  parseJsonSafely,
  readErrorObject,
  readHubSpotErrorBody,
  stringField,
} from './hubspot-error-body.js';
import {
  headerValue,
  parseRetryAfter,
  readRateLimitHeaders,
  readRateLimitPolicy,
} from './rate-limit-headers.js';
import { boundServerDelay } from './server-delay.js';
import type {
  EventOutcome,
  GlobalSignal,
  HttpAnswer,
  Interpretation,
  InterpretContext,
  RateLimitInfo,
  RateLimitPolicy,
  SentEvent,
} from './types.js';

/**
 * Delays for answers whose wait HubSpot does not always state. Shared by both dialects. These are yours and used as
 * given; a wait the server states (`Retry-After`, the rate-limit interval header) is kept within one second and
 * 24 hours ({@link SERVER_DELAY_FLOOR_MS}, {@link SERVER_DELAY_CAP_MS}).
 */
export interface InterpretOptions {
  /**
   * Wait after a 423 (HubSpot: "locks last for 2 seconds") when it carries no `Retry-After`.
   * @default 2000
   */
  readonly lockedDelayMs?: number;
  /**
   * Wait after a 477 (migration in progress) when it carries no `Retry-After`.
   * @default 10000
   */
  readonly migrationDelayMs?: number;
  /**
   * Pause after a 429 for the `DAILY` policy without `Retry-After`. The daily budget resets at midnight in the
   * HubSpot account's time zone, which a client cannot know, so the engine probes again after this long.
   * @default 3600000 (one hour)
   */
  readonly dailyLimitDelayMs?: number;
}

/** What {@link interpretAnswer} needs besides the batch and the answer. */
export interface InterpretAnswerInput {
  /** Optional facts such as the current time and the size of the request sent (read only for a 413). */
  readonly context?: InterpretContext | undefined;
  /** Delay defaults. */
  readonly options?: InterpretOptions | undefined;
  /**
   * The API accepts none of a batch it refuses, and its error bodies name the events (2026-03): a single-event
   * 400 is dead-lettered with the detail messages of `errors[]` (HubSpot's reason for that event) instead of the
   * batch summary, and a batch 409 whose `context` names ids marks those delivered and isolates only the rest.
   * @default false
   */
  readonly allOrNothing?: boolean | undefined;
}

/** Default pause for a 429 per policy when neither `Retry-After` nor the interval header says how long. */
const POLICY_DELAY_MS: Record<Exclude<RateLimitPolicy, 'DAILY'>, number> = {
  TEN_SECONDLY_ROLLING: 10_000,
  SECONDLY: 1_000,
  UNKNOWN: 10_000,
};

const DEFAULTS: Required<InterpretOptions> = {
  lockedDelayMs: 2_000,
  migrationDelayMs: 10_000,
  dailyLimitDelayMs: 60 * 60_000,
};

/** Context keys under which an error may name the events it is about (compared lower-case, letters only). */
const ID_CONTEXT_KEYS = new Set(['id', 'ids', 'eventid', 'eventids', 'occurrenceid', 'occurrenceids']);

/**
 * Ids shorter than this are too likely to appear by accident in a message ("line 1, column 77"), so they are
 * attributed from a message only when quoted or written after the word "id".
 */
const SHORT_ID_LENGTH = 8;

/**
 * Interpret one answer to a batch of timeline events, as the answer table in DESIGN.md says. Both dialects
 * share it: HubSpot's v3 and 2026-03 APIs differ in request shape, not in what their statuses mean for us.
 * Pure and total: never throws; an answer it cannot read is retried as an attempt.
 *
 * @param sent - The events sent, in order.
 * @param answer - What came back.
 * @param input - Context (the time, the request size for a 413) and delay defaults.
 * @returns One outcome per event sent, in order, plus any global signal and the rate-limit headers.
 */
export function interpretAnswer(
  sent: readonly SentEvent[],
  answer: HttpAnswer,
  input: InterpretAnswerInput,
): Interpretation {
  try {
    return answer.kind === 'failure'
      ? interpretFailure(sent, answer)
      : interpretResponse(sent, answer, input);
  } catch (error) {
    // Defence in depth: a bug here must cost a retry, never an event.
    const reason = `could not interpret the answer: ${error instanceof Error ? error.message : String(error)}`;
    return { outcomes: sent.map((event) => retry(event.id, true, reason)) };
  }
}

function interpretFailure(
  sent: readonly SentEvent[],
  answer: Extract<HttpAnswer, { kind: 'failure' }>,
): Interpretation {
  const reason = `${answer.failure}: ${answer.message}`;
  switch (answer.failure) {
    // The server may have stored the events; the fixed ids make the re-send safe.
    case 'timeout':
    case 'reset':
    case 'body-too-large':
      return { outcomes: sent.map((event) => retry(event.id, true, reason)) };
    case 'offline':
      return {
        outcomes: sent.map((event) => retry(event.id, false, reason)),
        signal: { type: 'offline', message: answer.message },
      };
    case 'aborted':
      return { outcomes: sent.map((event) => retry(event.id, false, reason)) };
  }
}

function interpretResponse(
  sent: readonly SentEvent[],
  answer: Extract<HttpAnswer, { kind: 'response' }>,
  input: InterpretAnswerInput,
): Interpretation {
  const { status, headers, body } = answer;
  const options = { ...DEFAULTS, ...definedOnly(input.options ?? {}) };
  const rateLimit = readRateLimitHeaders(headers);
  const retryAfterMs = boundServerDelay(
    parseRetryAfter(headerValue(headers, 'retry-after'), input.context?.now),
  );
  const result = (outcomes: EventOutcome[], signal?: GlobalSignal): Interpretation =>
    withOptional({ outcomes }, signal, rateLimit);

  if (status >= 200 && status < 300) {
    // A plain 200/201 echoes every event back; parsing that only to find no `errors` key costs more than the
    // rest of the interpretation, and a body carrying errors always spells the key out.
    if (status !== 207 && !body.includes('"errors"'))
      return result(sent.map((event) => delivered(event.id, false)));
    const parsed = parseJsonSafely(body);
    const hasErrors = isJsonObject(parsed) && Array.isArray(parsed.errors) && parsed.errors.length > 0;
    if (status === 207 || hasErrors) {
      return result(interpretPerEvent(sent, parsed, status, { retryAfterMs, rateLimit, options }));
    }
    // 200/201 (and any other success): HubSpot accepted the batch. Events missing from `results` are counted
    // as delivered too: the batch create is accepted as a whole, and results may be omitted (SDK: empty 200).
    return result(sent.map((event) => delivered(event.id, false)));
  }

  const error = readHubSpotErrorBody(body);
  const reason = httpReason(status, error);
  const single = sent.length === 1;
  const isolateAll = () => sent.map((event) => isolate(event.id, reason, status));
  const retryAll = (countsAsAttempt: boolean, delayMs?: number) =>
    sent.map((event) => retry(event.id, countsAsAttempt, reason, status, delayMs));

  switch (status) {
    case 400:
      // A batch refused as a whole (one bad event, or "too many inputs") is bisected to find each verdict.
      if (!single) return result(isolateAll());
      if (isAlreadyExists({ ...evidenceOf(status, error), ids: [sent[0]!.id] })) {
        return result([delivered(sent[0]!.id, true)]);
      }
      return result([
        deadFrom(sent[0]!.id, status, input.allOrNothing === true ? withDetail(error, body) : error),
      ]);
    case 401:
      return result(retryAll(false), {
        type: 'unauthorized',
        category: error.category ?? 'UNAUTHORIZED',
        message: error.message ?? 'HTTP 401',
      });
    case 403:
      return result(retryAll(false), {
        type: 'forbidden',
        category: error.category ?? 'FORBIDDEN',
        message: error.message ?? 'HTTP 403',
      });
    case 404:
      // An HTML or plain-text 404 comes from a proxy or a wrong base URL, not HubSpot's verdict on the event.
      if (!error.isJson && body.trim() !== '') return result(retryAll(true));
      return result(single ? [deadFrom(sent[0]!.id, status, error)] : isolateAll());
    case 409:
      // Our ids are unique, so an existing one exists because we sent it. In a batch, only an answer naming the
      // ids tells which; the others were refused with them ("none accepted") and go again without them.
      if (single) return result([delivered(sent[0]!.id, true)]);
      return result(input.allOrNothing === true ? conflictsNamed(sent, body, reason) : isolateAll());
    case 413: {
      const maxBytes = Math.max(1, Math.floor(requestBytesOf(sent, input.context) / 2));
      const outcomes = single
        ? [deadFrom(sent[0]!.id, status, { ...error, category: error.category ?? 'PAYLOAD_TOO_LARGE' })]
        : isolateAll();
      return result(outcomes, { type: 'payload-too-large', maxBytes });
    }
    case 423:
      return result(retryAll(false, retryAfterMs ?? options.lockedDelayMs));
    case 429: {
      const policy = readRateLimitPolicy(error.policyName, error.isJson ? error.message : body);
      const delayMs = retryAfterMs ?? rateLimitDelay(policy, rateLimit, options);
      return result(retryAll(false, delayMs), { type: 'rate-limited', policy, delayMs });
    }
    case 477:
      return result(retryAll(false, retryAfterMs ?? options.migrationDelayMs));
    default:
      // 5xx and anything unexpected: possibly a broken event, so it counts; backoff unless told how long.
      return result(retryAll(true, retryAfterMs));
  }
}

/** What a per-event error that says "later" needs to know to schedule its retry. */
interface RetryTiming {
  readonly retryAfterMs: number | undefined;
  readonly rateLimit: RateLimitInfo | undefined;
  readonly options: Required<InterpretOptions>;
}

/** How to retry an event whose own error says "try again later", as the answer table says for that status. */
interface TransientVerdict {
  readonly countsAsAttempt: boolean;
  readonly delayMs: number | undefined;
  readonly reason: string;
}

/**
 * 207 (or a success carrying `errors`): verdicts per event from `results` and attributed `errors`. For one
 * event, a listed result wins, then "already exists" (delivered), then a transient error (retried: it is not
 * HubSpot's verdict on the event, and re-sending is the recoverable choice if another error named it too),
 * then any other attributed error (dead-lettered); an event named nowhere is isolated.
 */
function interpretPerEvent(
  sent: readonly SentEvent[],
  parsed: unknown,
  status: number,
  timing: RetryTiming,
): EventOutcome[] {
  const sentIds = new Set(sent.map((event) => event.id));
  const resultIds = new Set<string>();
  const existing = new Set<string>();
  const transient = new Map<string, TransientVerdict>();
  const refused = new Map<string, HubSpotErrorBody>();
  if (isJsonObject(parsed)) {
    for (const item of Array.isArray(parsed.results) ? parsed.results : []) {
      const id = isJsonObject(item) ? stringField(item.id) : undefined;
      if (id !== undefined && sentIds.has(id)) resultIds.add(id);
    }
    for (const item of Array.isArray(parsed.errors) ? parsed.errors : []) {
      if (!isJsonObject(item)) continue;
      const error = readErrorObject(item);
      const ids = attributedIds(item, sentIds);
      const exists = isAlreadyExists({
        status: typeof item.status === 'number' ? item.status : stringField(item.status),
        ...evidenceOf(undefined, error),
        messages: [error.message, ...detailMessages(item)],
        ids,
      });
      const later = exists ? undefined : transientVerdict(item, error, status, timing);
      for (const id of ids) {
        if (exists) existing.add(id);
        else if (later !== undefined) transient.set(id, transient.get(id) ?? later);
        else if (!refused.has(id)) refused.set(id, error);
      }
    }
  }
  return sent.map((event) => {
    if (resultIds.has(event.id)) return delivered(event.id, false);
    if (existing.has(event.id)) return delivered(event.id, true);
    const later = transient.get(event.id);
    if (later !== undefined) {
      return retry(event.id, later.countsAsAttempt, later.reason, status, later.delayMs);
    }
    const error = refused.get(event.id);
    if (error !== undefined) return deadFrom(event.id, status, error);
    return isolate(event.id, `HTTP ${status} named neither a result nor an error for this event`, status);
  });
}

/**
 * The retry a per-event error asks for when it is transient — its own status is 423, 429, 477 or 5xx, or its
 * category `INTERNAL_ERROR` or `RATE_LIMITS` — timed and counted as the answer table's row for that status
 * (423: 2 s, 477: 10 s, a rate limit: the policy's window, none of them an attempt; a server error: backoff,
 * an attempt; `Retry-After` wins for all). `undefined` for an error that judges the event itself.
 */
function transientVerdict(
  item: Record<string, unknown>,
  error: HubSpotErrorBody,
  answerStatus: number,
  timing: RetryTiming,
): TransientVerdict | undefined {
  const status = ownStatus(item.status);
  const category = error.category?.toUpperCase();
  const schedule = transientRetry(status, category, error, timing);
  if (schedule === undefined) return undefined;
  const named = error.category ?? `HTTP ${status}`;
  const detail = error.message === undefined ? named : `${named}: ${error.message}`;
  return { ...schedule, reason: `HTTP ${answerStatus}, error for this event: ${detail}` };
}

function transientRetry(
  status: number | undefined,
  category: string | undefined,
  error: HubSpotErrorBody,
  { retryAfterMs, rateLimit, options }: RetryTiming,
): Omit<TransientVerdict, 'reason'> | undefined {
  if (status === 423) return { countsAsAttempt: false, delayMs: retryAfterMs ?? options.lockedDelayMs };
  if (status === 477) return { countsAsAttempt: false, delayMs: retryAfterMs ?? options.migrationDelayMs };
  if (status === 429 || category === 'RATE_LIMITS') {
    const policy = readRateLimitPolicy(error.policyName, error.message);
    return { countsAsAttempt: false, delayMs: retryAfterMs ?? rateLimitDelay(policy, rateLimit, options) };
  }
  const serverError = status !== undefined && status >= 500 && status <= 599;
  if (serverError || category === 'INTERNAL_ERROR') {
    return { countsAsAttempt: true, delayMs: retryAfterMs };
  }
  return undefined;
}

/** An error's own HTTP status, given as a number or as digits (StandardError types `status` as a string). */
function ownStatus(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  return typeof value === 'string' && /^\d{3}$/.test(value.trim()) ? Number(value) : undefined;
}

/** A 409 for a batch: the ids its context names are delivered, the rest isolated; all isolated if none named. */
function conflictsNamed(sent: readonly SentEvent[], body: string, reason: string): EventOutcome[] {
  const parsed = parseJsonSafely(body);
  const named = isJsonObject(parsed)
    ? new Set(attributedIds(parsed, new Set(sent.map((event) => event.id))))
    : new Set<string>();
  return sent.map((event) =>
    named.has(event.id)
      ? delivered(event.id, true)
      : isolate(
          event.id,
          named.size > 0 ? `${reason} (not this event; none of the batch was accepted)` : reason,
          409,
        ),
  );
}

/** The error with its message replaced by the detail messages of `errors[]`, when the body has any. */
function withDetail(error: HubSpotErrorBody, body: string): HubSpotErrorBody {
  const parsed = parseJsonSafely(body);
  const details = isJsonObject(parsed) ? detailMessages(parsed) : [];
  return details.length === 0 ? error : { ...error, message: details.join('; ') };
}

/** The sent ids an error names: in its context, its detail contexts, its `id`, or else its messages. */
function attributedIds(error: Record<string, unknown>, sentIds: ReadonlySet<string>): string[] {
  const named = new Set<string>();
  const contexts = [error.context, ...detailObjects(error).map((detail) => detail.context)];
  for (const context of contexts) {
    if (!isJsonObject(context)) continue;
    for (const [key, value] of Object.entries(context)) {
      if (!ID_CONTEXT_KEYS.has(key.toLowerCase().replace(/[^a-z]/g, ''))) continue;
      for (const id of Array.isArray(value) ? value : [value]) {
        if (typeof id === 'string' && sentIds.has(id)) named.add(id);
      }
    }
  }
  const ownId = stringField(error.id);
  if (ownId !== undefined && sentIds.has(ownId)) named.add(ownId);
  if (named.size > 0) return [...named];
  const messages = [stringField(error.message), ...detailMessages(error)].filter(
    (message): message is string => message !== undefined,
  );
  return [...sentIds].filter((id) => messages.some((message) => mentionsId(message, id)));
}

function mentionsId(message: string, id: string): boolean {
  const escaped = escapeRegExp(id);
  const token = new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])`);
  if (id.length >= SHORT_ID_LENGTH) return token.test(message);
  const quotedOrLabelled = new RegExp(
    `(?:["'\`]${escaped}["'\`])|(?:\\bids?\\s*[:=]?\\s*${escaped}(?![A-Za-z0-9_-]))`,
    'i',
  );
  return quotedOrLabelled.test(message);
}

function detailObjects(error: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(error.errors) ? error.errors.filter(isJsonObject) : [];
}

function detailMessages(error: Record<string, unknown>): string[] {
  return detailObjects(error)
    .map((detail) => stringField(detail.message))
    .filter((message): message is string => message !== undefined);
}

function rateLimitDelay(
  policy: RateLimitPolicy,
  rateLimit: RateLimitInfo | undefined,
  options: Required<InterpretOptions>,
): number {
  // The interval header describes the short window; it says nothing about when a daily budget resets.
  if (policy === 'DAILY') return options.dailyLimitDelayMs;
  return boundServerDelay(rateLimit?.intervalMs) ?? POLICY_DELAY_MS[policy];
}

function evidenceOf(status: number | undefined, error: HubSpotErrorBody) {
  return {
    ...(status === undefined ? {} : { status }),
    ...(error.category === undefined ? {} : { category: error.category }),
    ...(error.subCategory === undefined ? {} : { subCategory: error.subCategory }),
    messages: [error.message],
  };
}

function httpReason(status: number, error: HubSpotErrorBody): string {
  return error.message === undefined ? `HTTP ${status}` : `HTTP ${status}: ${error.message}`;
}

function delivered(id: string, alreadyExisted: boolean): EventOutcome {
  return { type: 'delivered', id, alreadyExisted };
}

function isolate(id: string, reason: string, status: number): EventOutcome {
  return { type: 'isolate', id, reason, status };
}

function deadFrom(id: string, status: number, error: HubSpotErrorBody): EventOutcome {
  return {
    type: 'dead',
    id,
    category: error.category ?? `HTTP_${status}`,
    message: error.message ?? `HTTP ${status}`,
    status,
  };
}

function retry(
  id: string,
  countsAsAttempt: boolean,
  reason: string,
  status?: number,
  delayMs?: number,
): EventOutcome {
  return {
    type: 'retry',
    id,
    countsAsAttempt,
    reason,
    ...(status === undefined ? {} : { status }),
    ...(delayMs === undefined ? {} : { delayMs }),
  };
}

function withOptional(
  base: { outcomes: EventOutcome[] },
  signal: GlobalSignal | undefined,
  rateLimit: RateLimitInfo | undefined,
): Interpretation {
  return {
    ...base,
    ...(signal === undefined ? {} : { signal }),
    ...(rateLimit === undefined ? {} : { rateLimit }),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The size of the request sent, as the caller measured it, or else the JSON size of what it says it sent. */
function requestBytesOf(sent: readonly SentEvent[], context: InterpretContext | undefined): number {
  return context?.requestBytes?.() ?? utf8ByteLength(JSON.stringify({ inputs: sent }));
}
