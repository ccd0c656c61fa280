import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSpec } from '../../test/support/hubspot-spec.js';
import { answer, jsonAnswer } from '../../test/support/wire-fixtures.js';
import { appEventsDialect } from './app-events-dialect.js';
import type { GlobalSignal, HttpAnswer, ReadBackInterpretation, WireDialect } from './types.js';
import { createV3Dialect, v3Dialect } from './v3-dialect.js';

const A = '01JDZ8Q0000000000000000001';
const event = { id: A, eventTemplateId: '1001234' };
const eventResponse = (id: unknown) => ({
  id,
  eventTemplateId: '1001234',
  objectType: 'CONTACT',
  tokens: { page: '/pricing' },
  email: 'ana@example.com',
  timestamp: '2026-11-29T12:00:00.000Z',
});
const notFound = {
  status: 'error',
  message: `Event with id ${A} not found`,
  correlationId: 'aeb5f871-7f07-4993-9211-075dc63e7cbf',
  category: 'OBJECT_NOT_FOUND',
};

/** The v3 dialect's read-back, which the 2026-03 dialect does not have. */
function readBackOf(dialect: WireDialect) {
  const { readBack, interpretReadBack } = dialect;
  if (readBack === undefined || interpretReadBack === undefined)
    throw new Error(`${dialect.name} has no read-back`);
  return { readBack, interpretReadBack };
}
const { readBack, interpretReadBack } = readBackOf(v3Dialect);

describe('v3Dialect.readBack', () => {
  it('GETs the event by template and id, without a body', () => {
    expect(readBack(event)).toEqual({
      method: 'GET',
      path: `/integrators/timeline/v3/events/1001234/${A}`,
    });
  });

  it('is the read operation of HubSpot’s v3 spec', () => {
    const spec = readSpec('timeline-v3.openapi.json');
    expect(spec.paths['/integrators/timeline/v3/events/{eventTemplateId}/{eventId}']).toHaveProperty('get');
  });

  it('URL-encodes both parts, so an id holding / ? # % or spaces names one event', () => {
    expect(readBack({ id: 'visit/42?x=1#top 50%', eventTemplateId: '10 01' }).path).toBe(
      '/integrators/timeline/v3/events/10%2001/visit%2F42%3Fx%3D1%23top%2050%25',
    );
    expect(readBack({ id: 'ünï-\u{1F600}', eventTemplateId: '1' }).path).toBe(
      '/integrators/timeline/v3/events/1/%C3%BCn%C3%AF-%F0%9F%98%80',
    );
  });

  it('does not throw on half a surrogate pair (refused at record time, but an old store may hold one)', () => {
    expect(readBack({ id: 'a\ud800', eventTemplateId: '1' }).path).toBe(
      '/integrators/timeline/v3/events/1/a%EF%BF%BD',
    );
  });

  it('reads under /crm/v3/timeline/events with the legacy path option', () => {
    expect(readBackOf(createV3Dialect({ legacyPath: true })).readBack(event).path).toBe(
      `/crm/v3/timeline/events/1001234/${A}`,
    );
  });

  it('is not offered by the 2026-03 dialect, which has no read-back (a re-send’s 409 is its evidence)', () => {
    expect(appEventsDialect.readBack).toBeUndefined();
    expect(appEventsDialect.interpretReadBack).toBeUndefined();
  });
});

interface ReadBackCase {
  readonly name: string;
  readonly answer: HttpAnswer;
  readonly id?: string;
  readonly expected: ReadBackInterpretation;
}
const any = expect.any(String) as unknown as string;
const unknown = (signal?: GlobalSignal): ReadBackInterpretation => ({
  verdict: { type: 'unknown', reason: any },
  ...(signal === undefined ? {} : { signal }),
});

const readBackCases: ReadBackCase[] = [
  {
    name: 'a HubSpot JSON 200 with the event: found',
    answer: jsonAnswer(200, eventResponse(A)),
    expected: { verdict: { type: 'found' } },
  },
  {
    name: 'a HubSpot JSON 404: absent, with HubSpot’s words',
    answer: jsonAnswer(404, notFound),
    expected: { verdict: { type: 'absent', reason: `HTTP 404: Event with id ${A} not found` } },
  },
  {
    name: 'a 200 for another event: unknown',
    answer: jsonAnswer(200, eventResponse('someone-else')),
    expected: unknown(),
  },
  {
    name: 'a 200 whose id is not a string: unknown',
    answer: jsonAnswer(200, eventResponse(1)),
    expected: unknown(),
  },
  { name: 'a 200 without an id: unknown', answer: jsonAnswer(200, { results: [] }), expected: unknown() },
  { name: 'an empty 200: unknown', answer: answer(200), expected: unknown() },
  {
    name: 'a captive portal’s HTML 200: unknown',
    answer: answer(200, `<html><body>Sign in to continue ${A}</body></html>`),
    expected: unknown(),
  },
  {
    name: 'a 200 whose id hides under __proto__: unknown',
    answer: answer(200, `{"__proto__":{"id":"${A}"}}`),
    expected: unknown(),
  },
  {
    name: 'a 201 with the event (not the documented 200): unknown',
    answer: jsonAnswer(201, eventResponse(A)),
    expected: unknown(),
  },
  {
    name: 'an HTML 404 from a proxy: unknown',
    answer: answer(404, '<html>Not Found</html>'),
    expected: unknown(),
  },
  { name: 'an empty 404: unknown', answer: answer(404), expected: unknown() },
  {
    name: 'a 404 whose JSON is not HubSpot’s error: unknown',
    answer: jsonAnswer(404, { error: 'Not Found' }),
    expected: unknown(),
  },
  {
    name: 'a 404 for an id that is a dot segment (the URL resolves it away): unknown',
    id: '..',
    answer: jsonAnswer(404, notFound),
    expected: unknown(),
  },
  {
    name: 'a 429: unknown, and the same rate-limit signal as for a batch',
    answer: jsonAnswer(429, {
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      policyName: 'TEN_SECONDLY_ROLLING',
    }),
    expected: unknown({ type: 'rate-limited', policy: 'TEN_SECONDLY_ROLLING', delayMs: 10_000 }),
  },
  {
    name: 'a 401: unknown, and the unauthorized signal',
    answer: jsonAnswer(401, { status: 'error', category: 'EXPIRED_AUTHENTICATION', message: 'expired' }),
    expected: unknown({ type: 'unauthorized', category: 'EXPIRED_AUTHENTICATION', message: 'expired' }),
  },
  {
    name: 'a 403: unknown, and the forbidden signal',
    answer: answer(403),
    expected: unknown({ type: 'forbidden', category: 'FORBIDDEN', message: 'HTTP 403' }),
  },
  {
    name: 'a 500: unknown',
    answer: jsonAnswer(500, { status: 'error', category: 'INTERNAL_ERROR', message: 'x' }),
    expected: unknown(),
  },
  {
    name: 'a 400: unknown',
    answer: jsonAnswer(400, { status: 'error', category: 'VALIDATION_ERROR', message: 'x' }),
    expected: unknown(),
  },
  {
    name: 'a timeout: unknown',
    answer: { kind: 'failure', failure: 'timeout', message: 'after 30000 ms' },
    expected: unknown(),
  },
  {
    name: 'a body past the cap: unknown',
    answer: { kind: 'failure', failure: 'body-too-large', message: 'over 1048576 bytes' },
    expected: unknown(),
  },
  {
    name: 'no connection: unknown, and the offline signal',
    answer: { kind: 'failure', failure: 'offline', message: 'connect ECONNREFUSED' },
    expected: unknown({ type: 'offline', message: 'connect ECONNREFUSED' }),
  },
];

describe('v3Dialect.interpretReadBack', () => {
  it.each(readBackCases.map((c) => [c.name, c] as const))('%s', (_title, c) => {
    expect(interpretReadBack(c.id ?? A, c.answer)).toEqual(c.expected);
  });

  it('reports the rate-limit headers and honours Retry-After on a 429', () => {
    const result = interpretReadBack(
      A,
      answer(429, 'You have reached your daily limit', {
        'retry-after': '60',
        'x-hubspot-ratelimit-remaining': '0',
      }),
    );
    expect(result).toEqual({
      verdict: { type: 'unknown', reason: any },
      signal: { type: 'rate-limited', policy: 'DAILY', delayMs: 60_000 },
      rateLimit: { remaining: 0 },
    });
  });

  it('never throws, and finds the event only in a JSON 200 naming it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.oneof(fc.string(), fc.json(), fc.constant(JSON.stringify(eventResponse(A)))),
        (status, body) => {
          const { verdict } = interpretReadBack(A, answer(status, body));
          if (verdict.type === 'found') {
            expect(status).toBe(200);
            expect((JSON.parse(body) as { id: unknown }).id).toBe(A);
          }
          if (verdict.type === 'absent') expect(status).toBe(404);
        },
      ),
    );
  });
});
