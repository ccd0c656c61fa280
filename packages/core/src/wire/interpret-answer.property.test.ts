import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answer, jsonAnswer, timelineEvent } from '../../test/support/wire-fixtures.js';
import { appEventsDialect } from './app-events-dialect.js';
import { SERVER_DELAY_CAP_MS, SERVER_DELAY_FLOOR_MS } from './server-delay.js';
import type { HttpAnswer } from './types.js';
import { v3Dialect } from './v3-dialect.js';

const A = '01JDZ8Q0000000000000000001';
const B = '01JDZ8Q0000000000000000002';
const C = '01JDZ8Q0000000000000000003';
const three = [timelineEvent(A), timelineEvent(B), timelineEvent(C)];
const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>';

const idArb = fc.constantFrom<unknown>(A, B, C, 'x', '', 42, null, undefined);
const errorArb = fc.record(
  {
    status: fc.constantFrom<unknown>('409', '400', '503', '429', '423', 409, 500, 'error'),
    category: fc.constantFrom(
      'CONFLICT',
      'VALIDATION_ERROR',
      'INTERNAL_ERROR',
      'RATE_LIMITS',
      'OBJECT_NOT_FOUND',
    ),
    subCategory: fc.constantFrom('DUPLICATE_EVENT_ID', 'TimelineErrors.DUPLICATE_PROPERTY', 'x'),
    message: fc.oneof(
      fc.constantFrom(
        'already exists',
        `Event ${A} already exists`,
        'Event ID already in use',
        'Property "page" already exists on template',
        'Invalid token value',
        `bad ${B}`,
      ),
      fc.string(),
    ),
    context: fc.dictionary(
      fc.constantFrom('id', 'ids', 'eventId', 'other'),
      fc.array(idArb, { maxLength: 3 }),
    ),
    id: idArb,
    errors: fc.array(fc.record({ message: fc.constantFrom('Event ID already in use', 'nope') }), {
      maxLength: 2,
    }),
  },
  { requiredKeys: [] },
);
const batchArb = fc
  .record(
    {
      status: fc.constantFrom<unknown>(
        'COMPLETE',
        'PENDING',
        'PROCESSING',
        'CANCELED',
        'COMPLETED',
        'error',
        42,
      ),
      results: fc.oneof(fc.array(fc.record({ id: idArb }, { requiredKeys: [] }), { maxLength: 4 }), idArb),
      errors: fc.oneof(fc.array(fc.oneof(errorArb, fc.string(), fc.integer()), { maxLength: 3 }), idArb),
      category: fc.constantFrom('VALIDATION_ERROR', 'CONFLICT'),
      message: fc.string(),
    },
    { requiredKeys: [] },
  )
  .map((value) => JSON.stringify(value));
const bodyArb = fc.oneof(
  fc.string(),
  fc.json(),
  fc.constant(HTML_502),
  fc.constant(''),
  batchArb,
  batchArb.map((json) => `{"__proto__":${json}}`),
);
const statusArb = fc.oneof(
  fc.constantFrom(200, 201, 204, 207, 299, 400, 409, 413, 429, 500),
  fc.integer({ min: 100, max: 599 }),
);
const headerArb = fc.dictionary(
  fc.constantFrom('retry-after', 'x-hubspot-ratelimit-interval-milliseconds', 'x-hubspot-ratelimit-max', 'x'),
  fc.oneof(fc.string(), fc.nat().map(String), fc.constantFrom('0', '99999999999', '1e3', '0.0001')),
);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The oracle, deliberately generous: the sent ids an answer could prove delivered, by what. A result only in
 * HubSpot's batch body with status COMPLETE or none; "already exists" only from an error that says so in any
 * way (naming the id, or naming no sent id at all), or from a 409 or a lone event's 400.
 */
function provable(status: number, body: string, sentIds: readonly string[]) {
  const byExists = new Set<string>(status === 409 || (status === 400 && sentIds.length === 1) ? sentIds : []);
  const parsed = status >= 200 && status <= 299 ? parseObject(body) : undefined;
  if (parsed === undefined) return { byResult: new Set<string>(), byExists };
  for (const id of existsInErrors(parsed, sentIds)) byExists.add(id);
  return { byResult: namedInResults(parsed, sentIds), byExists };
}

/** The body as a JSON object, or `undefined` when it is not one. */
function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The sent ids a COMPLETE (or status-less) batch body names in `results`. */
function namedInResults(parsed: Record<string, unknown>, sentIds: readonly string[]): Set<string> {
  const named = new Set<string>();
  if (parsed.status !== undefined && parsed.status !== 'COMPLETE') return named;
  for (const item of Array.isArray(parsed.results) ? parsed.results : []) {
    if (isObject(item) && typeof item.id === 'string' && sentIds.includes(item.id)) named.add(item.id);
  }
  return named;
}

/** The sent ids an error that says "already exists" in any way could be about: those it names, else all. */
function existsInErrors(parsed: Record<string, unknown>, sentIds: readonly string[]): string[] {
  return (Array.isArray(parsed.errors) ? parsed.errors : [])
    .filter(
      (error: unknown): error is Record<string, unknown> =>
        isObject(error) && /already|conflict|409|duplicate/i.test(JSON.stringify(error)),
    )
    .flatMap((error) => {
      const named = sentIds.filter((id) => namesInContext(error, id));
      return named.length > 0 ? named : [...sentIds];
    });
}

/** Whether an error names `id` where HubSpot puts ids: its own `id`, or an id key of its (or a detail's) context. */
function namesInContext(error: Record<string, unknown>, id: string): boolean {
  if (error.id === id) return true;
  const details = Array.isArray(error.errors) ? error.errors.filter(isObject) : [];
  return [error, ...details].some((part) => {
    const context = part.context;
    if (!isObject(context)) return false;
    return Object.entries(context).some(
      ([key, value]) =>
        /^(event|occurrence)?ids?$/i.test(key) && (Array.isArray(value) ? value.includes(id) : value === id),
    );
  });
}

describe.each([
  ['v3', v3Dialect],
  ['2026-03', appEventsDialect],
])('%s dialect interpret, for any answer', (_name, dialect) => {
  it('delivers only ids the body names in results or in an "already exists" verdict', () => {
    // Found by this property once: an "already exists" whose context names a sent id under a key that is not an
    // id key is an error naming no event, and rightly settles the one event that nothing else names.
    const sent = three.slice(0, 2);
    const body = JSON.stringify({
      status: 'COMPLETE',
      results: [{ id: A }],
      errors: [{ category: 'CONFLICT', context: { other: [A] } }],
    });
    expect(dialect.interpret(sent, answer(207, body)).outcomes[1]).toMatchObject({
      evidence: 'already-exists',
    });
    expect(provable(207, body, [A, B]).byExists).toContain(B);

    fc.assert(
      fc.property(statusArb, bodyArb, fc.integer({ min: 1, max: 3 }), (status, body, n) => {
        const sent = three.slice(0, n);
        const { byResult, byExists } = provable(
          status,
          body,
          sent.map((event) => event.id),
        );
        for (const outcome of dialect.interpret(sent, answer(status, body)).outcomes) {
          if (outcome.type !== 'delivered') continue;
          if (outcome.evidence === 'result') expect(byResult).toContain(outcome.id);
          else expect(byExists).toContain(outcome.id);
          expect(outcome.alreadyExisted).toBe(outcome.evidence === 'already-exists');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws, gives one outcome per event in order, never isolates a lone event, bounds every delay', () => {
    fc.assert(
      fc.property(
        statusArb,
        headerArb,
        bodyArb,
        fc.integer({ min: 1, max: 3 }),
        (status, headers, body, n) => {
          const sent = three.slice(0, n);
          const result = dialect.interpret(sent, answer(status, body, headers));
          expect(result.outcomes.map((outcome) => outcome.id)).toEqual(sent.map((event) => event.id));
          if (n === 1) expect(result.outcomes[0]?.type).not.toBe('isolate');
          // Every default is within the bounds put on server-stated delays, so every delay must be.
          const delays = result.outcomes.flatMap((outcome) =>
            (outcome.type === 'retry' || outcome.type === 'unknown') && outcome.delayMs !== undefined
              ? [outcome.delayMs]
              : [],
          );
          if (result.signal?.type === 'rate-limited') delays.push(result.signal.delayMs);
          for (const delayMs of delays) {
            expect(delayMs).toBeGreaterThanOrEqual(SERVER_DELAY_FLOOR_MS);
            expect(delayMs).toBeLessThanOrEqual(SERVER_DELAY_CAP_MS);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

/** A 10 MB string: most of it a run that makes a careless pattern backtrack quadratically. */
const TEN_MB = 10 * 1024 * 1024;
const hostile: [name: string, reply: () => HttpAnswer][] = [
  ['JSON nested 200,000 levels deep', () => answer(207, `${'['.repeat(2e5)}${']'.repeat(2e5)}`)],
  [
    'errors nested a hundred thousand levels deep',
    () =>
      answer(
        207,
        `{"status":"COMPLETE","results":[],"errors":[{"context":${'{"id":'.repeat(1e5)}"x"${'}'.repeat(1e5)}}]}`,
      ),
  ],
  [
    'a 10 MB message of "id 1111…" (an unquoted id pattern)',
    () =>
      jsonAnswer(207, { status: 'COMPLETE', results: [], errors: [{ message: `id ${'1'.repeat(TEN_MB)}` }] }),
  ],
  [
    'a 10 MB message of "id" and blanks',
    () =>
      jsonAnswer(207, { status: 'COMPLETE', results: [], errors: [{ message: `id${' '.repeat(TEN_MB)}x` }] }),
  ],
  [
    'a 10 MB message repeating an id',
    () =>
      jsonAnswer(207, {
        status: 'COMPLETE',
        results: [],
        errors: [{ message: `${A} `.repeat(TEN_MB / 27), category: 'VALIDATION_ERROR' }],
      }),
  ],
  ['a 10 MB HTML 200 of unclosed tags', () => answer(200, '<'.repeat(TEN_MB))],
  ['a 10 MB HTML 502 of unclosed tags', () => answer(502, '<'.repeat(TEN_MB))],
  ['a 10 MB plain 429', () => answer(429, `ten ${'secondly '.repeat(TEN_MB / 9)}`)],
  [
    'a 10 MB context key',
    () =>
      jsonAnswer(207, {
        status: 'COMPLETE',
        results: [],
        errors: [{ context: { [`${'x'.repeat(TEN_MB)}`]: [A] } }],
      }),
  ],
  [
    'numbers and objects where strings are expected',
    () =>
      jsonAnswer(207, {
        status: 'COMPLETE',
        results: [{ id: 1 }, { id: { toString: A } }, { id: [A] }],
        errors: [{ status: 409.5, category: 7, message: 8, context: { id: 9 }, id: 10, subCategory: {} }],
      }),
  ],
  [
    'prototype-pollution keys',
    () =>
      answer(
        207,
        `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"status":"COMPLETE","results":[{"__proto__":{"id":"${A}"}}],"errors":[{"__proto__":{"category":"CONFLICT"},"context":{"__proto__":{"id":["${A}"]}}}]}`,
      ),
  ],
];

describe('interpret, against hostile bodies', () => {
  it.each(hostile)('reads %s promptly, without throwing or delivering anything', (_name, reply) => {
    const body = reply();
    for (const dialect of [v3Dialect, appEventsDialect]) {
      const result = dialect.interpret(three, body);
      expect(result.outcomes.map((outcome) => outcome.id)).toEqual([A, B, C]);
      expect(result.outcomes.filter((outcome) => outcome.type === 'delivered')).toEqual([]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
