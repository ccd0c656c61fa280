import { describe, expect, it } from 'vitest';
import { answer, bodyOf, jsonAnswer, timelineEvent } from '../../test/support/wire-fixtures.js';
import { utf8ByteLength } from '../event/event-byte-length.js';
import type { TimelineEvent } from '../event/types.js';
import { appEventsDialect, createAppEventsDialect } from './app-events-dialect.js';
import { interpretAnswer } from './interpret-answer.js';
import { PAYLOAD_TOO_LARGE_CATEGORY } from './outcomes.js';
import type {
  DeliveryEvidence,
  EventOutcome,
  GlobalSignal,
  HttpAnswer,
  InterpretContext,
  RateLimitInfo,
  RateLimitPolicy,
  WireDialect,
} from './types.js';
import { createV3Dialect, v3Dialect } from './v3-dialect.js';

const A = '01JDZ8Q0000000000000000001';
const B = '01JDZ8Q0000000000000000002';
const C = '01JDZ8Q0000000000000000003';
const one = [timelineEvent(A)];
const three = [timelineEvent(A), timelineEvent(B), timelineEvent(C)];

const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>';
const CAPTIVE_PORTAL =
  '<!DOCTYPE html><html><head><title>Welcome to Airport Wi-Fi</title></head><body><form action="/accept">Accept the terms to continue</form></body></html>';
const RATE_LIMIT_HEADERS = {
  'x-hubspot-ratelimit-max': '100',
  'x-hubspot-ratelimit-remaining': '0',
  'x-hubspot-ratelimit-interval-milliseconds': '8000',
};
const tenSecondly = {
  status: 'error',
  message: 'You have reached your ten_secondly_rolling limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c3a4d1f0-5f5e-4b8e-9a55-3b2f1a0b9c11',
  policyName: 'TEN_SECONDLY_ROLLING',
  requestId: 'r-1',
};
const daily = { ...tenSecondly, message: 'You have reached your daily limit.', policyName: 'DAILY' };
const secondly = { ...tenSecondly, message: 'You have reached your secondly limit.', policyName: 'SECONDLY' };
const hubspotError = (category: string, message: string) => ({
  status: 'error',
  category,
  message,
  correlationId: 'aeb5f871-7f07-4993-9211-075dc63e7cbf',
});
const standardError = (fields: Record<string, unknown>) => ({
  status: 'error',
  category: 'VALIDATION_ERROR',
  message: 'Invalid token value',
  context: {},
  links: {},
  errors: [],
  ...fields,
});
/** HubSpot's batch response: `results` echo the ids given, `errors` as given, `status` COMPLETE unless overridden. */
const batchBody = (results: string[], errors: unknown[], fields: Record<string, unknown> = {}) => ({
  status: 'COMPLETE',
  results: results.map((id) => ({ id, eventTemplateId: '1001234', objectType: 'CONTACT', tokens: {} })),
  ...(errors.length === 0 ? {} : { numErrors: errors.length, errors }),
  startedAt: '2026-11-29T12:00:00.000Z',
  completedAt: '2026-11-29T12:00:00.100Z',
  ...fields,
});
/** A 207 listing `results` as created and carrying `errors`. */
const answer207 = (results: string[], errors: unknown[], headers?: Record<string, string>) =>
  jsonAnswer(207, batchBody(results, errors), headers);
/** A 201 whose batch body has the given `status` and `results`. */
const withStatus = (status: unknown, results: string[], errors: unknown[] = []) =>
  jsonAnswer(201, batchBody(results, errors, { status }));
/** A StandardError tied to one sent event by its context, as HubSpot's batch errors are. */
const tiedTo = (id: string, fields: Record<string, unknown> = {}) =>
  standardError({ ...fields, context: { id: [id] } });
/** A StandardError that names no event at all. */
const untied = (fields: Record<string, unknown> = {}) => standardError(fields);

const any = expect.any(String) as unknown as string;
const delivered = (id: string, evidence: DeliveryEvidence = 'result'): EventOutcome => ({
  type: 'delivered',
  id,
  alreadyExisted: evidence === 'already-exists',
  evidence,
});
/** Delivered because HubSpot said the id already exists. */
const existed = (id: string) => delivered(id, 'already-exists');
const isolate = (id: string, status: number): EventOutcome => ({ type: 'isolate', id, reason: any, status });
const dead = (id: string, status: number, category: string, message: string): EventOutcome => ({
  type: 'dead',
  id,
  status,
  category,
  message,
});
interface ResendExpectation {
  readonly status?: number;
  readonly delayMs?: number;
  readonly reason?: string;
}
/** HubSpot did not take the event. */
const retry = (id: string, countsAsAttempt: boolean, extra: ResendExpectation = {}): EventOutcome => ({
  type: 'retry',
  id,
  countsAsAttempt,
  reason: extra.reason ?? any,
  ...withoutReason(extra),
});
/** HubSpot may have the event. */
const unknown = (
  id: string,
  countsAsAttempt: boolean,
  extra: ResendExpectation & { accepted?: true } = {},
): EventOutcome => ({
  type: 'unknown',
  id,
  countsAsAttempt,
  reason: extra.reason ?? any,
  ...withoutReason(extra),
});
function withoutReason<T extends { reason?: string }>(extra: T): Omit<T, 'reason'> {
  const { reason: _reason, ...rest } = extra;
  return rest;
}
const all = (events: readonly TimelineEvent[], outcome: (id: string) => EventOutcome) =>
  events.map((event) => outcome(event.id));
/** A 429's verdict: every event sent waits `delayMs`, no attempt used, and the signal pauses everyone as long. */
const rateLimited = (sent: readonly TimelineEvent[], policy: RateLimitPolicy, delayMs: number) => ({
  sent,
  outcomes: all(sent, (id) => retry(id, false, { status: 429, delayMs })),
  signal: { type: 'rate-limited', policy, delayMs } satisfies GlobalSignal,
});

interface Case {
  /** The row of the DESIGN.md answer table this case covers. */
  readonly row: string;
  readonly name: string;
  readonly sent: readonly TimelineEvent[];
  readonly answer: HttpAnswer;
  readonly context?: InterpretContext;
  readonly outcomes: readonly EventOutcome[];
  readonly signal?: GlobalSignal | ((dialect: WireDialect, sent: readonly TimelineEvent[]) => GlobalSignal);
  readonly rateLimit?: RateLimitInfo;
}

/** The rows a 2xx that is not HubSpot's batch body covers: nothing is proven, every event is unknown. */
const unprovenBy = (name: string, reply: HttpAnswer, sent: readonly TimelineEvent[] = three): Case => ({
  row: 'hostile 2xx',
  name,
  sent,
  answer: reply,
  outcomes: all(sent, (id) => unknown(id, true, { status: reply.kind === 'response' ? reply.status : 0 })),
});

const cases: Case[] = [
  // 201 / 200 with HubSpot's batch body
  {
    row: '201 / 200',
    name: '201 listing every id',
    sent: three,
    answer: jsonAnswer(201, batchBody([A, B, C], [])),
    outcomes: all(three, (id) => delivered(id)),
  },
  {
    row: '201 / 200',
    name: '200 listing every id, results in another order',
    sent: three,
    answer: jsonAnswer(200, batchBody([C, A, B], [])),
    outcomes: all(three, (id) => delivered(id)),
  },
  {
    row: '201 / 200',
    name: 'a body without status (older answers) still proves the ids in results',
    sent: three,
    answer: jsonAnswer(201, { results: [{ id: A }, { id: B }, { id: C }] }),
    outcomes: all(three, (id) => delivered(id)),
  },
  {
    row: '201 / 200',
    name: 'results omitting some ids: those are unknown, not delivered',
    sent: three,
    answer: jsonAnswer(201, { status: 'COMPLETE', results: [{ id: A }] }),
    outcomes: [delivered(A), unknown(B, true, { status: 201 }), unknown(C, true, { status: 201 })],
  },
  {
    row: '201 / 200',
    name: 'results whose items carry no id prove nothing',
    sent: three,
    answer: jsonAnswer(201, { status: 'COMPLETE', results: [{}, { eventTemplateId: '1001234' }, {}] }),
    outcomes: all(three, (id) => unknown(id, true, { status: 201 })),
  },
  {
    row: '201 / 200',
    name: 'results naming ids we did not send prove nothing about ours',
    sent: three,
    answer: jsonAnswer(201, batchBody(['01JDZ8Q0000000000000000009', 'someone-else'], [])),
    outcomes: all(three, (id) => unknown(id, true, { status: 201 })),
  },
  {
    row: '201 / 200',
    name: 'an id given as a number is not our string id',
    sent: [timelineEvent('42')],
    answer: jsonAnswer(201, { status: 'COMPLETE', results: [{ id: 42 }] }),
    outcomes: [unknown('42', true, { status: 201 })],
  },
  {
    row: '201 / 200',
    name: 'results hidden under a __proto__ key are not results',
    sent: one,
    answer: answer(201, `{"__proto__":{"results":[{"id":"${A}"}],"status":"COMPLETE"}}`),
    outcomes: [unknown(A, true, { status: 201 })],
  },
  {
    row: '201 / 200',
    name: 'a 201 carrying errors is read like a 207',
    sent: three,
    answer: jsonAnswer(201, batchBody([A], [tiedTo(B)])),
    outcomes: [
      delivered(A),
      dead(B, 201, 'VALIDATION_ERROR', 'Invalid token value'),
      unknown(C, true, { status: 201 }),
    ],
  },
  // 2xx that is not HubSpot's batch body: nothing is proven
  unprovenBy('an empty 200', answer(200)),
  unprovenBy('an empty 201 for one event', answer(201), one),
  unprovenBy('a 204', answer(204)),
  unprovenBy('a 299', answer(299, '{"results":"ok"}')),
  unprovenBy('a captive portal’s HTML 200', answer(200, CAPTIVE_PORTAL, { 'content-type': 'text/html' })),
  unprovenBy('a plain-text 200 "OK"', answer(200, 'OK')),
  unprovenBy('a 201 with {}', jsonAnswer(201, {})),
  unprovenBy('a 201 with a JSON array', answer(201, `[{"id":"${A}"}]`)),
  unprovenBy('a 201 with null', answer(201, 'null')),
  unprovenBy('a 201 with a JSON string', answer(201, `"${A}"`)),
  unprovenBy('junk JSON in a 200', jsonAnswer(200, { ok: true, data: [1, 2, 3] })),
  unprovenBy('a truncated 201 echo', answer(201, `{"status":"COMPLETE","results":[{"id":"${A}"},{"id":"01J`)),
  unprovenBy(
    'a 201 whose JSON body is an error object',
    jsonAnswer(201, hubspotError('VALIDATION_ERROR', 'Invalid input JSON on line 1, column 77')),
  ),
  unprovenBy(
    'an error object carrying errors and results in a 200',
    jsonAnswer(200, { ...hubspotError('INTERNAL_ERROR', 'oops'), errors: [], results: [{ id: A }] }),
  ),
  unprovenBy('results that are not an array', jsonAnswer(201, { status: 'COMPLETE', results: { id: A } })),
  unprovenBy('a status outside the batch enum', withStatus('COMPLETED', [A, B, C])),
  unprovenBy('a status in lower case', withStatus('complete', [A, B, C])),
  unprovenBy('a status that is a number', withStatus(200, [A, B, C])),
  unprovenBy('an empty 207', answer(207)),
  unprovenBy('a truncated 207', answer(207, '{"status":"COMPLETE","results":[{"id":"01JDZ8Q00')),
  unprovenBy(
    'a 207 with errors but neither results nor a batch status',
    jsonAnswer(207, { errors: [tiedTo(A, { category: 'CONFLICT' })] }),
  ),
  {
    row: 'hostile 2xx',
    name: 'a Retry-After on a 2xx that proves nothing sets the wait',
    sent: one,
    answer: answer(200, '', { 'retry-after': '30' }),
    outcomes: [unknown(A, true, { status: 200, delayMs: 30_000 })],
  },
  // the batch's status
  {
    row: 'batch status',
    name: 'PENDING: accepted, not confirmed; no attempt, confirmed after 5 s',
    sent: three,
    answer: withStatus('PENDING', []),
    outcomes: all(three, (id) => unknown(id, false, { status: 201, delayMs: 5000, accepted: true })),
  },
  {
    row: 'batch status',
    name: 'PROCESSING with results: the results are not final, still unconfirmed',
    sent: three,
    answer: withStatus('PROCESSING', [A, B, C]),
    outcomes: all(three, (id) => unknown(id, false, { status: 201, delayMs: 5000, accepted: true })),
  },
  {
    row: 'batch status',
    name: 'PENDING with an "already exists" naming one event: that one is delivered',
    sent: three,
    answer: withStatus('PENDING', [], [tiedTo(B, { category: 'CONFLICT', message: 'already exists' })]),
    outcomes: [
      unknown(A, false, { status: 201, delayMs: 5000, accepted: true }),
      existed(B),
      unknown(C, false, { status: 201, delayMs: 5000, accepted: true }),
    ],
  },
  {
    row: 'batch status',
    name: 'PENDING with a refusal naming an event does not dead-letter it (the batch is not final)',
    sent: one,
    answer: withStatus('PENDING', [], [tiedTo(A)]),
    outcomes: [unknown(A, false, { status: 201, delayMs: 5000, accepted: true })],
  },
  {
    row: 'batch status',
    name: "PENDING's confirm delay follows Retry-After",
    sent: one,
    answer: jsonAnswer(201, batchBody([], [], { status: 'PENDING' }), { 'retry-after': '12' }),
    outcomes: [unknown(A, false, { status: 201, delayMs: 12_000, accepted: true })],
  },
  {
    row: 'batch status',
    name: 'CANCELED: not stored, re-sent with backoff, an attempt',
    sent: three,
    answer: withStatus('CANCELED', []),
    outcomes: all(three, (id) => retry(id, true, { status: 201 })),
  },
  {
    row: 'batch status',
    name: 'CANCELED wins over results it lists',
    sent: one,
    answer: withStatus('CANCELED', [A]),
    outcomes: [retry(A, true, { status: 201 })],
  },
  // 207
  {
    row: '207',
    name: 'results delivered, an attributed error dead, an event named nowhere unknown',
    sent: three,
    answer: answer207([A], [tiedTo(B)]),
    outcomes: [
      delivered(A),
      dead(B, 207, 'VALIDATION_ERROR', 'Invalid token value'),
      unknown(C, true, {
        status: 207,
        reason: 'HTTP 207 named neither a result nor an error for this event: outcome unknown',
      }),
    ],
  },
  {
    row: '207',
    name: 'a CONFLICT error counts as delivered (context.eventId)',
    sent: three,
    answer: answer207(
      [A, C],
      [standardError({ category: 'CONFLICT', message: 'Conflict', context: { eventId: [B] } })],
    ),
    outcomes: [delivered(A), existed(B), delivered(C)],
  },
  {
    row: '207',
    name: 'an "already exists" error naming the id in its message',
    sent: three,
    answer: answer207(
      [A, C],
      [standardError({ category: 'OBJECT_ALREADY_EXISTS', message: `Event ${B} already exists` })],
    ),
    outcomes: [delivered(A), existed(B), delivered(C)],
  },
  {
    row: '207',
    name: 'an "already in use" detail message, id in a detail context',
    sent: three,
    answer: answer207(
      [A, C],
      [
        standardError({
          message: 'Some events failed',
          errors: [{ message: 'Event ID already in use', context: { ids: [B] } }],
        }),
      ],
    ),
    outcomes: [delivered(A), existed(B), delivered(C)],
  },
  {
    row: '207',
    name: 'a tied "already exists" about a template property dead-letters',
    sent: three,
    answer: answer207(
      [A, C],
      [tiedTo(B, { message: 'Property "page" already exists on template but is of type number' })],
    ),
    outcomes: [
      delivered(A),
      dead(B, 207, 'VALIDATION_ERROR', 'Property "page" already exists on template but is of type number'),
      delivered(C),
    ],
  },
  {
    row: '207',
    name: 'several errors naming no event, several events named nowhere: each re-sent alone',
    sent: three,
    answer: answer207([A], [untied(), untied({ message: 'line 1, column 77' })]),
    outcomes: [delivered(A), isolate(B, 207), isolate(C, 207)],
  },
  {
    row: '207',
    name: 'one error naming no event and two events named nowhere: both re-sent alone',
    sent: three,
    answer: answer207([A], [untied()]),
    outcomes: [delivered(A), isolate(B, 207), isolate(C, 207)],
  },
  {
    row: '207',
    name: 'one event sent, one error naming no event: that event’s verdict (HubSpot’s category)',
    sent: one,
    answer: answer207([], [untied({ message: 'Token "seconds" must be a number' })]),
    outcomes: [dead(A, 207, 'VALIDATION_ERROR', 'Token "seconds" must be a number')],
  },
  {
    row: '207',
    name: 'one event left named nowhere and one error naming no event: that event’s verdict',
    sent: three,
    answer: answer207([A, B], [untied({ category: 'OBJECT_NOT_FOUND', message: 'Contact not found' })]),
    outcomes: [delivered(A), delivered(B), dead(C, 207, 'OBJECT_NOT_FOUND', 'Contact not found')],
  },
  {
    row: '207',
    name: 'one event left named nowhere and one unattributed "already exists": delivered',
    sent: three,
    answer: answer207([A, C], [untied({ category: 'CONFLICT', message: 'Event already exists' })]),
    outcomes: [delivered(A), existed(B), delivered(C)],
  },
  {
    row: '207',
    name: 'a lone event and an unattributed "already exists" (category CONFLICT): delivered',
    sent: one,
    answer: answer207([], [untied({ category: 'CONFLICT', message: 'Conflict' })]),
    outcomes: [existed(A)],
  },
  {
    row: '207',
    name: 'a lone event and an unattributed "already exists" in words only: delivered',
    sent: one,
    answer: answer207([], [untied({ message: 'An event with this id already exists' })]),
    outcomes: [existed(A)],
  },
  {
    row: '207',
    name: 'a lone event and an unattributed "already exists" among other errors: delivered',
    sent: one,
    answer: answer207([], [untied(), untied({ category: 'CONFLICT', message: 'Conflict' })]),
    outcomes: [existed(A)],
  },
  {
    row: '207',
    name: 'a lone event and two unattributed refusals: unknown, never a dead letter on a guess',
    sent: one,
    answer: answer207([], [untied(), untied({ message: 'Something else' })]),
    outcomes: [unknown(A, true, { status: 207 })],
  },
  {
    row: '207',
    name: 'a lone event with an unattributed transient error: its retry',
    sent: one,
    answer: answer207([], [untied({ status: '503', category: 'SERVICE_UNAVAILABLE' })]),
    outcomes: [unknown(A, true, { status: 207 })],
  },
  {
    row: '207',
    name: 'a 207 with errors but no results array, status COMPLETE, is still read per error',
    sent: three,
    answer: jsonAnswer(207, {
      status: 'COMPLETE',
      numErrors: 2,
      errors: [tiedTo(A, { category: 'CONFLICT', message: 'exists' }), tiedTo(B)],
    }),
    outcomes: [
      existed(A),
      dead(B, 207, 'VALIDATION_ERROR', 'Invalid token value'),
      unknown(C, true, { status: 207 }),
    ],
  },
  {
    row: '207',
    name: 'items of errors that are not objects are ignored',
    sent: one,
    answer: jsonAnswer(207, { status: 'COMPLETE', results: [], errors: ['boom', 42, null] }),
    outcomes: [unknown(A, true, { status: 207 })],
  },
  {
    row: '207',
    name: 'one error naming two events refuses both',
    sent: three,
    answer: answer207([A], [standardError({ context: { ids: [B, C] } })]),
    outcomes: [
      delivered(A),
      dead(B, 207, 'VALIDATION_ERROR', 'Invalid token value'),
      dead(C, 207, 'VALIDATION_ERROR', 'Invalid token value'),
    ],
  },
  {
    row: '207',
    name: 'an error naming only an id that was not sent is ignored',
    sent: one,
    answer: answer207([], [standardError({ context: { id: ['someone-else-entirely'] } })]),
    outcomes: [unknown(A, true, { status: 207 })],
  },
  {
    row: '207',
    name: 'an id in results wins over an error naming it',
    sent: one,
    answer: answer207([A], [tiedTo(A)]),
    outcomes: [delivered(A)],
  },
  {
    row: '207',
    name: '"already exists" wins over another error for the same id',
    sent: one,
    answer: answer207([], [tiedTo(A), tiedTo(A, { category: 'CONFLICT' })]),
    outcomes: [existed(A)],
  },
  {
    row: '207',
    name: "an error's own id field naming the event",
    sent: one,
    answer: answer207([], [standardError({ id: A })]),
    outcomes: [dead(A, 207, 'VALIDATION_ERROR', 'Invalid token value')],
  },
  {
    row: '207',
    name: 'a short id is not attributed by accident ("line 1"), only when quoted',
    sent: [timelineEvent('1'), timelineEvent('2'), timelineEvent('3')],
    answer: answer207(
      [],
      [untied({ message: 'Invalid input on line 1, column 77' }), untied({ message: "Event '2' is bad" })],
    ),
    outcomes: [isolate('1', 207), dead('2', 207, 'VALIDATION_ERROR', "Event '2' is bad"), isolate('3', 207)],
  },
  {
    row: '207',
    name: 'an INTERNAL_ERROR tied to an id: HubSpot may have it, an attempt, never dead-lettered',
    sent: three,
    answer: answer207([A, C], [tiedTo(B, { category: 'INTERNAL_ERROR', message: 'internal error' })]),
    outcomes: [
      delivered(A),
      unknown(B, true, {
        status: 207,
        reason: 'HTTP 207, error for this event: INTERNAL_ERROR: internal error',
      }),
      delivered(C),
    ],
  },
  {
    row: '207',
    name: 'a tied error whose own status is 5xx (as digits or a number) is unknown, an attempt',
    sent: three,
    answer: answer207(
      [A],
      [
        tiedTo(B, { status: '503', category: 'SERVICE_UNAVAILABLE' }),
        tiedTo(C, { status: 502, category: 'BAD_GATEWAY' }),
      ],
    ),
    outcomes: [delivered(A), unknown(B, true, { status: 207 }), unknown(C, true, { status: 207 })],
  },
  {
    row: '207',
    name: 'a tied 429 waits the rate-limit window, not an attempt',
    sent: three,
    answer: answer207([A, C], [tiedTo(B, { status: '429', category: 'RATE_LIMITS', message: 'slow down' })]),
    outcomes: [delivered(A), retry(B, false, { status: 207, delayMs: 10_000 }), delivered(C)],
  },
  {
    row: '207',
    name: 'a tied RATE_LIMITS error naming the secondly policy waits 1 s, not an attempt',
    sent: one,
    answer: answer207(
      [],
      [tiedTo(A, { category: 'RATE_LIMITS', message: 'You have reached your secondly limit.' })],
    ),
    outcomes: [retry(A, false, { status: 207, delayMs: 1000 })],
  },
  {
    row: '207',
    name: 'tied 423 and 477 errors wait 2 s and 10 s, not attempts',
    sent: three,
    answer: answer207(
      [A],
      [
        tiedTo(B, { status: '423', category: 'LOCKED' }),
        tiedTo(C, { status: 477, category: 'MIGRATION_IN_PROGRESS' }),
      ],
    ),
    outcomes: [
      delivered(A),
      retry(B, false, { status: 207, delayMs: 2000 }),
      retry(C, false, { status: 207, delayMs: 10_000 }),
    ],
  },
  {
    row: '207',
    name: "a 207's Retry-After times its transient per-event errors",
    sent: one,
    answer: answer207([], [tiedTo(A, { status: '429', category: 'RATE_LIMITS' })], { 'retry-after': '5' }),
    outcomes: [retry(A, false, { status: 207, delayMs: 5000 })],
  },
  {
    row: '207',
    name: 'a transient error beats a refusal for the same id (re-sending is the recoverable choice)',
    sent: one,
    answer: answer207([], [tiedTo(A), tiedTo(A, { category: 'INTERNAL_ERROR' })]),
    outcomes: [unknown(A, true, { status: 207 })],
  },
  {
    row: '207',
    name: '"already exists" beats a transient error for the same id',
    sent: one,
    answer: answer207([], [tiedTo(A, { category: 'INTERNAL_ERROR' }), tiedTo(A, { category: 'CONFLICT' })]),
    outcomes: [existed(A)],
  },
  {
    row: '207',
    name: 'a tied error whose own status is 400 is still a refusal',
    sent: one,
    answer: answer207([], [tiedTo(A, { status: '400' })]),
    outcomes: [dead(A, 207, 'VALIDATION_ERROR', 'Invalid token value')],
  },
  // 400 for the whole batch
  {
    row: '400',
    name: 'a batch is bisected',
    sent: three,
    answer: jsonAnswer(400, hubspotError('VALIDATION_ERROR', 'Invalid input JSON on line 1, column 77')),
    outcomes: all(three, (id) => isolate(id, 400)),
  },
  {
    row: '400',
    name: '"too many inputs" splits the batch',
    sent: three,
    answer: jsonAnswer(400, hubspotError('VALIDATION_ERROR', 'Too many inputs: 101 > 100')),
    outcomes: all(three, (id) => isolate(id, 400)),
  },
  {
    row: '400',
    name: 'a batch whose 400 says "already in use" is still bisected (which one?)',
    sent: three,
    answer: jsonAnswer(
      400,
      hubspotError('VALIDATION_ERROR', 'Event ID already in use, please choose a new unique ID'),
    ),
    outcomes: all(three, (id) => isolate(id, 400)),
  },
  {
    row: '400',
    name: "a single event is dead-lettered with HubSpot's category and message",
    sent: one,
    answer: jsonAnswer(400, hubspotError('VALIDATION_ERROR', 'Cannot build TimelineEvent [eventTemplateId]')),
    outcomes: [dead(A, 400, 'VALIDATION_ERROR', 'Cannot build TimelineEvent [eventTemplateId]')],
  },
  {
    row: '400',
    name: 'a single event\'s "Event ID already in use" is delivered',
    sent: one,
    answer: jsonAnswer(
      400,
      hubspotError('VALIDATION_ERROR', 'Event ID already in use, please choose a new unique ID'),
    ),
    outcomes: [existed(A)],
  },
  {
    row: '400',
    name: 'a single event\'s "already exists" about a template property is a refusal, not delivered',
    sent: one,
    answer: jsonAnswer(
      400,
      hubspotError('VALIDATION_ERROR', 'Property "page" already exists on template but is of type number'),
    ),
    outcomes: [
      dead(A, 400, 'VALIDATION_ERROR', 'Property "page" already exists on template but is of type number'),
    ],
  },
  {
    row: '400',
    name: "a single event's 400 saying its own id already exists is delivered",
    sent: [timelineEvent('visit-a')],
    answer: jsonAnswer(400, hubspotError('VALIDATION_ERROR', 'visit-a already exists')),
    outcomes: [existed('visit-a')],
  },
  {
    row: '400',
    name: "a single event with an HTML 400 (a proxy's page, not HubSpot's verdict): unknown, not dead",
    sent: one,
    answer: answer(400, '<html><body><h1>400 Bad Request</h1></body></html>'),
    outcomes: [unknown(A, true, { status: 400, reason: 'HTTP 400: 400 Bad Request' })],
  },
  {
    row: '400',
    name: 'a single event with an empty 400 (2026-03 documents no body)',
    sent: one,
    answer: answer(400),
    outcomes: [dead(A, 400, 'HTTP_400', 'HTTP 400')],
  },
  {
    row: '400',
    name: 'a truncated 400 for a batch',
    sent: three,
    answer: answer(400, '{"status":"error","message":"Invalid'),
    outcomes: all(three, (id) => isolate(id, 400)),
  },
  // 401, 403
  {
    row: '401',
    name: 'expired token: pause unauthorized, no attempt used',
    sent: three,
    answer: jsonAnswer(
      401,
      hubspotError(
        'EXPIRED_AUTHENTICATION',
        'The OAuth token used to make this call expired 7 second(s) ago.',
      ),
    ),
    outcomes: all(three, (id) => retry(id, false, { status: 401 })),
    signal: {
      type: 'unauthorized',
      category: 'EXPIRED_AUTHENTICATION',
      message: 'The OAuth token used to make this call expired 7 second(s) ago.',
    },
  },
  {
    row: '401',
    name: 'a 401 without a body',
    sent: one,
    answer: answer(401),
    outcomes: [retry(A, false, { status: 401 })],
    signal: { type: 'unauthorized', category: 'UNAUTHORIZED', message: 'HTTP 401' },
  },
  {
    row: '403',
    name: 'missing scope: pause forbidden, no attempt used',
    sent: three,
    answer: jsonAnswer(
      403,
      hubspotError('MISSING_SCOPES', "This app hasn't been granted all required scopes"),
    ),
    outcomes: all(three, (id) => retry(id, false, { status: 403 })),
    signal: {
      type: 'forbidden',
      category: 'MISSING_SCOPES',
      message: "This app hasn't been granted all required scopes",
    },
  },
  // 404
  {
    row: '404',
    name: 'a single event with an unknown template is dead-lettered',
    sent: one,
    answer: jsonAnswer(404, hubspotError('OBJECT_NOT_FOUND', 'Event template 1001234 not found')),
    outcomes: [dead(A, 404, 'OBJECT_NOT_FOUND', 'Event template 1001234 not found')],
  },
  {
    row: '404',
    name: 'a batch is bisected',
    sent: three,
    answer: jsonAnswer(404, hubspotError('OBJECT_NOT_FOUND', 'Object not found')),
    outcomes: all(three, (id) => isolate(id, 404)),
  },
  {
    row: '404',
    name: 'an HTML 404 (a proxy or wrong base URL) is unknown, an attempt, not dead-lettered',
    sent: one,
    answer: answer(404, '<html><body>Not Found</body></html>'),
    outcomes: [unknown(A, true, { status: 404 })],
  },
  {
    row: '404',
    name: 'an HTML 404 for a batch is unknown for every event, not bisected',
    sent: three,
    answer: answer(404, 'Not Found'),
    outcomes: all(three, (id) => unknown(id, true, { status: 404 })),
  },
  // 409
  {
    row: '409',
    name: 'a single event that already exists is delivered',
    sent: one,
    answer: jsonAnswer(409, hubspotError('CONFLICT', 'An occurrence with this id already exists')),
    outcomes: [existed(A)],
  },
  {
    row: '409',
    name: 'an empty 409 for one event',
    sent: one,
    answer: answer(409),
    outcomes: [existed(A)],
  },
  {
    row: '409',
    name: 'a batch is bisected (all-or-nothing: the others were not stored)',
    sent: three,
    answer: jsonAnswer(409, hubspotError('CONFLICT', 'One or more occurrences already exist')),
    outcomes: all(three, (id) => isolate(id, 409)),
  },
  // 413
  {
    row: '413',
    name: 'a batch is split and the byte budget halved',
    sent: three,
    answer: answer(413, '<html><h1>413 Request Entity Too Large</h1></html>'),
    context: { requestBytes: () => 5001 },
    outcomes: all(three, (id) => isolate(id, 413)),
    signal: { type: 'payload-too-large', maxBytes: 2500 },
  },
  {
    row: '413',
    name: 'a single event too large for HubSpot is dead-lettered',
    sent: one,
    answer: answer(413),
    outcomes: [dead(A, 413, PAYLOAD_TOO_LARGE_CATEGORY, 'HTTP 413')],
    // Without the caller's measurement, the JSON of what was sent stands in for the body.
    signal: (_dialect, sent) => ({
      type: 'payload-too-large',
      maxBytes: Math.floor(utf8ByteLength(JSON.stringify({ inputs: sent })) / 2),
    }),
  },
  {
    row: '413',
    name: "a single event's JSON 413 keeps HubSpot's message under the PAYLOAD_TOO_LARGE category",
    sent: one,
    answer: jsonAnswer(413, hubspotError('VALIDATION_ERROR', 'Request body exceeds 1048576 bytes')),
    context: { requestBytes: () => 2_000_000 },
    outcomes: [dead(A, 413, 'PAYLOAD_TOO_LARGE', 'Request body exceeds 1048576 bytes')],
    signal: { type: 'payload-too-large', maxBytes: 1_000_000 },
  },
  // 423
  {
    row: '423',
    name: 'locked: retry after 2 s, not an attempt',
    sent: three,
    answer: answer(423),
    outcomes: all(three, (id) => retry(id, false, { status: 423, delayMs: 2000 })),
  },
  {
    row: '423',
    name: 'locked with Retry-After',
    sent: one,
    answer: answer(423, '', { 'retry-after': '5' }),
    outcomes: [retry(A, false, { status: 423, delayMs: 5000 })],
  },
  // 429
  {
    row: '429',
    name: 'TEN_SECONDLY_ROLLING without headers waits the 10 s window',
    answer: jsonAnswer(429, tenSecondly),
    ...rateLimited(three, 'TEN_SECONDLY_ROLLING', 10_000),
  },
  {
    row: '429',
    name: 'TEN_SECONDLY_ROLLING with the interval header waits that interval',
    answer: jsonAnswer(429, tenSecondly, RATE_LIMIT_HEADERS),
    ...rateLimited(one, 'TEN_SECONDLY_ROLLING', 8000),
    rateLimit: { max: 100, remaining: 0, intervalMs: 8000 },
  },
  {
    row: '429',
    name: 'Retry-After wins over the interval header',
    answer: jsonAnswer(429, tenSecondly, { ...RATE_LIMIT_HEADERS, 'retry-after': '3' }),
    ...rateLimited(one, 'TEN_SECONDLY_ROLLING', 3000),
  },
  {
    row: '429',
    name: 'SECONDLY without headers waits 1 s',
    answer: jsonAnswer(429, secondly),
    ...rateLimited(one, 'SECONDLY', 1000),
  },
  {
    row: '429',
    name: 'DAILY waits the documented daily default, whatever the interval header says',
    answer: jsonAnswer(429, daily, RATE_LIMIT_HEADERS),
    ...rateLimited(one, 'DAILY', 3_600_000),
  },
  {
    row: '429',
    name: 'DAILY with Retry-After',
    answer: jsonAnswer(429, daily, { 'retry-after': '120' }),
    ...rateLimited(one, 'DAILY', 120_000),
  },
  {
    row: '429',
    name: 'policy read from the message when policyName is absent: ten_secondly_rolling',
    answer: jsonAnswer(429, {
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
    }),
    ...rateLimited(one, 'TEN_SECONDLY_ROLLING', 10_000),
  },
  {
    row: '429',
    name: 'policy read from the message: secondly',
    answer: jsonAnswer(429, { status: 'error', message: 'You have reached your secondly limit.' }),
    ...rateLimited(one, 'SECONDLY', 1000),
  },
  {
    row: '429',
    name: 'policy read from the message: daily',
    answer: jsonAnswer(429, { status: 'error', message: 'You have reached your daily limit.' }),
    ...rateLimited(one, 'DAILY', 3_600_000),
  },
  {
    row: '429',
    name: 'a non-JSON 429 from a proxy: unknown policy, 10 s',
    answer: answer(429, '<html><body>Too Many Requests</body></html>'),
    ...rateLimited(three, 'UNKNOWN', 10_000),
  },
  {
    row: '429',
    name: 'a non-JSON 429 naming the daily limit',
    answer: answer(429, 'You have reached your daily limit'),
    ...rateLimited(one, 'DAILY', 3_600_000),
  },
  {
    row: '429',
    name: 'Retry-After as an HTTP date, with the current time given',
    answer: jsonAnswer(429, tenSecondly, { 'retry-after': 'Sun, 29 Nov 2026 12:00:30 GMT' }),
    context: { now: Date.parse('2026-11-29T12:00:00.000Z') },
    ...rateLimited(one, 'TEN_SECONDLY_ROLLING', 30_000),
  },
  {
    row: '429',
    name: 'Retry-After as an HTTP date without the current time falls back',
    answer: jsonAnswer(429, tenSecondly, { 'retry-after': 'Sun, 29 Nov 2026 12:00:30 GMT' }),
    ...rateLimited(one, 'TEN_SECONDLY_ROLLING', 10_000),
  },
  {
    row: '429',
    name: 'Retry-After: 0 still waits the 1 s floor (no retry storm)',
    answer: jsonAnswer(429, tenSecondly, { 'retry-after': '0' }),
    ...rateLimited(one, 'TEN_SECONDLY_ROLLING', 1000),
  },
  {
    row: '429',
    name: 'an interval header of 0 still waits the 1 s floor',
    answer: jsonAnswer(429, tenSecondly, { 'x-hubspot-ratelimit-interval-milliseconds': '0' }),
    ...rateLimited(one, 'TEN_SECONDLY_ROLLING', 1000),
    rateLimit: { intervalMs: 0 },
  },
  {
    row: '429',
    name: 'a Retry-After date already past waits the 1 s floor',
    answer: jsonAnswer(429, tenSecondly, { 'retry-after': 'Sun, 29 Nov 2026 11:00:00 GMT' }),
    context: { now: Date.parse('2026-11-29T12:00:00.000Z') },
    ...rateLimited(one, 'TEN_SECONDLY_ROLLING', 1000),
  },
  {
    row: '429',
    name: 'a Retry-After of ~3000 years is capped at 24 h',
    answer: jsonAnswer(429, daily, { 'retry-after': '99999999999' }),
    ...rateLimited(one, 'DAILY', 86_400_000),
  },
  {
    row: '429',
    name: 'an interval header beyond 24 h is capped',
    answer: jsonAnswer(429, tenSecondly, { 'x-hubspot-ratelimit-interval-milliseconds': '999999999999' }),
    ...rateLimited(one, 'TEN_SECONDLY_ROLLING', 86_400_000),
  },
  // 477
  {
    row: '477',
    name: 'migration in progress: retry after Retry-After, not an attempt',
    sent: three,
    answer: jsonAnswer(477, hubspotError('MIGRATION_IN_PROGRESS', 'Portal migration in progress'), {
      'retry-after': '30',
    }),
    outcomes: all(three, (id) => retry(id, false, { status: 477, delayMs: 30_000 })),
  },
  {
    row: '477',
    name: 'without Retry-After waits 10 s',
    sent: one,
    answer: answer(477),
    outcomes: [retry(A, false, { status: 477, delayMs: 10_000 })],
  },
  // 5xx, timeout, reset
  {
    row: '5xx',
    name: '500: backoff, an attempt',
    sent: three,
    answer: jsonAnswer(500, hubspotError('INTERNAL_ERROR', 'internal error')),
    outcomes: all(three, (id) => unknown(id, true, { status: 500, reason: 'HTTP 500: internal error' })),
  },
  {
    row: '5xx',
    name: 'an HTML 502 from a proxy',
    sent: three,
    answer: answer(502, HTML_502),
    outcomes: all(three, (id) =>
      unknown(id, true, { status: 502, reason: 'HTTP 502: 502 Bad Gateway 502 Bad Gateway cloudflare' }),
    ),
  },
  {
    row: '5xx',
    name: '503 honours Retry-After',
    sent: one,
    answer: answer(503, 'Service Unavailable', { 'retry-after': '7' }),
    outcomes: [unknown(A, true, { status: 503, delayMs: 7000 })],
  },
  {
    row: '5xx',
    name: 'a 503 with Retry-After: 0 waits the 1 s floor',
    sent: one,
    answer: answer(503, '', { 'retry-after': '0' }),
    outcomes: [unknown(A, true, { status: 503, delayMs: 1000 })],
  },
  {
    row: '423',
    name: 'a 423 whose Retry-After is beyond 24 h is capped',
    sent: one,
    answer: answer(423, '', { 'retry-after': '31536000' }),
    outcomes: [retry(A, false, { status: 423, delayMs: 86_400_000 })],
  },
  {
    row: '5xx',
    name: 'an empty 504',
    sent: one,
    answer: answer(504),
    outcomes: [unknown(A, true, { status: 504, reason: 'HTTP 504' })],
  },
  {
    row: 'timeout',
    name: 'a timeout: outcome unknown, re-sent with the same id, an attempt',
    sent: three,
    answer: { kind: 'failure', failure: 'timeout', message: 'Request timed out after 30000 ms' },
    outcomes: all(three, (id) => unknown(id, true, { reason: 'timeout: Request timed out after 30000 ms' })),
  },
  {
    row: 'reset',
    name: 'a reset connection: an attempt',
    sent: one,
    answer: { kind: 'failure', failure: 'reset', message: 'socket hang up' },
    outcomes: [unknown(A, true, { reason: 'reset: socket hang up' })],
  },
  {
    row: 'body over the cap',
    name: 'a body past the transport cap: unknown, an attempt',
    sent: three,
    answer: { kind: 'failure', failure: 'body-too-large', message: 'response body over 1048576 bytes' },
    outcomes: all(three, (id) =>
      unknown(id, true, { reason: 'body-too-large: response body over 1048576 bytes' }),
    ),
  },
  // no connection
  {
    row: 'no connection',
    name: 'offline: wait for the network, not an attempt',
    sent: three,
    answer: { kind: 'failure', failure: 'offline', message: 'connect ECONNREFUSED 127.0.0.1:9' },
    outcomes: all(three, (id) => retry(id, false)),
    signal: { type: 'offline', message: 'connect ECONNREFUSED 127.0.0.1:9' },
  },
  {
    row: 'no connection',
    name: 'aborted by the engine: not an attempt, no signal',
    sent: one,
    answer: { kind: 'failure', failure: 'aborted', message: 'stopping' },
    outcomes: [retry(A, false)],
  },
  // unexpected statuses
  {
    row: 'other',
    name: 'an unexpected 418 is unknown, an attempt, its status in the reason',
    sent: one,
    answer: answer(418, "I'm a teapot"),
    outcomes: [unknown(A, true, { status: 418, reason: "HTTP 418: I'm a teapot" })],
  },
  {
    row: 'other',
    name: 'a redirect (a captive portal) is unknown, an attempt',
    sent: one,
    answer: answer(302, '', { location: 'https://example.com/login' }),
    outcomes: [unknown(A, true, { status: 302, reason: 'HTTP 302' })],
  },
  // rate-limit headers on any answer
  {
    row: 'headers',
    name: 'X-HubSpot-RateLimit-* are read from a 201',
    sent: one,
    answer: jsonAnswer(201, batchBody([A], []), {
      'x-hubspot-ratelimit-max': '100',
      'x-hubspot-ratelimit-remaining': '97',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
    }),
    outcomes: [delivered(A)],
    rateLimit: { max: 100, remaining: 97, intervalMs: 10_000 },
  },
];

describe.each([
  ['v3', v3Dialect],
  ['2026-03', appEventsDialect],
])('%s dialect interpret (the DESIGN.md answer table)', (_name, dialect) => {
  it.each(cases.map((c) => [`${c.row}: ${c.name}`, c] as const))('%s', (_title, c) => {
    const result = dialect.interpret(c.sent, c.answer, c.context);
    expect(result.outcomes).toEqual(c.outcomes);
    const signal = typeof c.signal === 'function' ? c.signal(dialect, c.sent) : c.signal;
    expect(result.signal).toEqual(signal);
    if (c.rateLimit !== undefined) expect(result.rateLimit).toEqual(c.rateLimit);
  });

  it('covers every row of the answer table', () => {
    const rows = new Set(cases.map((c) => c.row));
    for (const row of [
      '201 / 200',
      'hostile 2xx',
      'batch status',
      '207',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '423',
      '429',
      '477',
      '5xx',
      'timeout',
      'reset',
      'body over the cap',
      'no connection',
    ]) {
      expect(rows).toContain(row);
    }
  });

  it('reports no rate limit when the headers are absent or malformed', () => {
    const result = dialect.interpret(one, answer(201, '', { 'x-hubspot-ratelimit-remaining': 'lots' }));
    expect(result).not.toHaveProperty('rateLimit');
  });

  it('delivers a 201 echo of 100 events, every one by its result', () => {
    const sent = Array.from({ length: 100 }, (_, index) =>
      timelineEvent(`01JDZ8Q00000000000000${1000 + index}`),
    );
    const echo = jsonAnswer(201, batchBody(sent.map((event) => event.id).reverse(), []));
    expect(dialect.interpret(sent, echo).outcomes).toEqual(all(sent, (id) => delivered(id)));
  });
});

describe('interpret options', () => {
  it('take the delays for 423, 477, a DAILY 429 and a PENDING batch from the dialect options', () => {
    const options = {
      lockedDelayMs: 500,
      migrationDelayMs: 700,
      dailyLimitDelayMs: 900,
      confirmDelayMs: 1100,
    };
    for (const dialect of [createV3Dialect(options), createAppEventsDialect(options)]) {
      expect(dialect.interpret(one, answer(423)).outcomes[0]).toMatchObject({ delayMs: 500 });
      expect(dialect.interpret(one, answer(477)).outcomes[0]).toMatchObject({ delayMs: 700 });
      expect(dialect.interpret(one, jsonAnswer(429, daily)).signal).toEqual({
        type: 'rate-limited',
        policy: 'DAILY',
        delayMs: 900,
      });
      expect(dialect.interpret(one, withStatus('PROCESSING', [A])).outcomes[0]).toMatchObject({
        type: 'unknown',
        accepted: true,
        delayMs: 1100,
      });
    }
  });

  it('keep the defaults for options given as undefined', () => {
    const dialect = createV3Dialect({
      lockedDelayMs: undefined as unknown as number,
      confirmDelayMs: undefined as unknown as number,
    });
    expect(dialect.interpret(one, answer(423)).outcomes[0]).toMatchObject({ delayMs: 2000 });
    expect(dialect.interpret(one, withStatus('PENDING', [])).outcomes[0]).toMatchObject({ delayMs: 5000 });
  });
});

describe('a 413 without the request size', () => {
  it('v3 measures what a v3 body of the events sent would be', () => {
    const body = bodyOf(v3Dialect.encode(three));
    expect(v3Dialect.interpret(three, answer(413)).signal).toEqual({
      type: 'payload-too-large',
      maxBytes: Math.floor(utf8ByteLength(body) / 2),
    });
  });

  it('reads nothing but the ids of what was sent', () => {
    const ids = three.map((event) => ({ id: event.id }));
    expect(v3Dialect.interpret(ids, jsonAnswer(201, batchBody([A, B, C], []))).outcomes).toEqual(
      all(three, (id) => delivered(id)),
    );
    expect(appEventsDialect.interpret(ids, answer(500)).outcomes).toEqual(
      v3Dialect.interpret(three, answer(500)).outcomes,
    );
  });
});

describe('interpretAnswer', () => {
  it('turns a failure inside the interpretation into an unknown outcome that counts, never a lost event', () => {
    const result = interpretAnswer(three, answer(413), {
      context: {
        requestBytes: () => {
          throw new Error('boom');
        },
      },
    });
    expect(result.outcomes).toEqual(
      all(three, (id) => unknown(id, true, { reason: 'could not interpret the answer: boom' })),
    );
  });

  it('survives a thrown value that cannot even be printed', () => {
    const unprintable = {
      toString() {
        throw new Error('no');
      },
    };
    const result = interpretAnswer(one, answer(413), {
      context: {
        requestBytes: () => {
          throw unprintable;
        },
      },
    });
    expect(result.outcomes).toEqual([
      unknown(A, true, { reason: 'could not interpret the answer: an unprintable value' }),
    ]);
  });
});

/** Answers the two dialects read differently: 2026-03 is all-or-nothing and its error bodies name the events. */
interface DialectCase {
  readonly name: string;
  readonly sent: readonly TimelineEvent[];
  readonly answer: HttpAnswer;
  readonly v3: readonly EventOutcome[];
  readonly appEvents: readonly EventOutcome[];
}

const validation400 = (details: { message: string; id: string }[]) => ({
  ...hubspotError('VALIDATION_ERROR', `${details.length} validation error(s); no occurrence was accepted.`),
  errors: details.map(({ message, id }) => ({
    message,
    code: 'INVALID_TOKEN',
    in: 'inputs[0].properties.seconds',
    context: { id: [id] },
  })),
});
const conflict409 = (ids: unknown) => ({
  ...hubspotError('CONFLICT', 'occurrence(s) already exist; occurrences are immutable. None were accepted.'),
  context: { id: ids },
});

const dialectCases: DialectCase[] = [
  {
    name: 'a single-event 400 dead-letters with the detail of errors[] (HubSpot’s reason), not the summary',
    sent: one,
    answer: jsonAnswer(400, validation400([{ message: 'seconds must be a number, got "abc"', id: A }])),
    v3: [dead(A, 400, 'VALIDATION_ERROR', '1 validation error(s); no occurrence was accepted.')],
    appEvents: [dead(A, 400, 'VALIDATION_ERROR', 'seconds must be a number, got "abc"')],
  },
  {
    name: 'a single-event 400 with several details keeps them all, in order',
    sent: one,
    answer: jsonAnswer(
      400,
      validation400([
        { message: 'seconds must be a number', id: A },
        { message: 'page is required', id: A },
      ]),
    ),
    v3: [dead(A, 400, 'VALIDATION_ERROR', '2 validation error(s); no occurrence was accepted.')],
    appEvents: [dead(A, 400, 'VALIDATION_ERROR', 'seconds must be a number; page is required')],
  },
  {
    name: 'a single-event 400 without details keeps the summary',
    sent: one,
    answer: jsonAnswer(400, hubspotError('VALIDATION_ERROR', 'Invalid input')),
    v3: [dead(A, 400, 'VALIDATION_ERROR', 'Invalid input')],
    appEvents: [dead(A, 400, 'VALIDATION_ERROR', 'Invalid input')],
  },
  {
    name: 'a batch 400 naming one event is still bisected (a refusal is confirmed alone before dead-lettering)',
    sent: three,
    answer: jsonAnswer(400, validation400([{ message: 'seconds must be a number', id: B }])),
    v3: all(three, (id) => isolate(id, 400)),
    appEvents: all(three, (id) => isolate(id, 400)),
  },
  {
    name: 'a batch 409 naming ids: those are delivered (already existed), only the rest isolated',
    sent: three,
    answer: jsonAnswer(409, conflict409([A, C])),
    v3: all(three, (id) => isolate(id, 409)),
    appEvents: [existed(A), isolate(B, 409), existed(C)],
  },
  {
    name: 'a batch 409 naming every id: all delivered, nothing re-sent',
    sent: three,
    answer: jsonAnswer(409, conflict409([A, B, C])),
    v3: all(three, (id) => isolate(id, 409)),
    appEvents: all(three, (id) => existed(id)),
  },
  {
    name: 'a batch 409 naming only ids that were not sent isolates every event',
    sent: three,
    answer: jsonAnswer(409, conflict409(['01JDZ8Q0000000000000000009'])),
    v3: all(three, (id) => isolate(id, 409)),
    appEvents: all(three, (id) => isolate(id, 409)),
  },
  {
    name: 'a batch 409 whose context is malformed isolates every event',
    sent: three,
    answer: jsonAnswer(409, conflict409(42)),
    v3: all(three, (id) => isolate(id, 409)),
    appEvents: all(three, (id) => isolate(id, 409)),
  },
  {
    name: 'a batch 409 that is not JSON isolates every event',
    sent: three,
    answer: answer(409, '<html>Conflict</html>'),
    v3: all(three, (id) => isolate(id, 409)),
    appEvents: all(three, (id) => isolate(id, 409)),
  },
];

describe('dialect-specific readings of 400 and 409', () => {
  it.each(dialectCases.map((c) => [c.name, c] as const))('%s', (_title, c) => {
    expect(v3Dialect.interpret(c.sent, c.answer).outcomes).toEqual(c.v3);
    expect(appEventsDialect.interpret(c.sent, c.answer).outcomes).toEqual(c.appEvents);
  });
});
