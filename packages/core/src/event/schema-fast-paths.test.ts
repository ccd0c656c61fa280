import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timelineEventInputSchema } from './schema.js';
import { timestampSchema } from './timestamp.js';
import { tokenNameSchema, tokenValueSchema } from './token-value.js';

/**
 * The schemas as they were before the record path got fast paths: the oracle. A fast path may only answer
 * when these accept, with the same value; every refusal must read exactly as theirs.
 */
const TIMESTAMP_TYPES =
  'must be a Date, epoch milliseconds, or an RFC 3339 date-time with seconds and a zone, such as 2026-11-29T12:00:00Z or 2026-11-29T13:00:00+01:00';
const OUT_OF_RANGE =
  'must be between 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z (was epoch seconds passed as milliseconds?)';
const referenceTimestamp = z
  .union([z.iso.datetime({ offset: true, error: TIMESTAMP_TYPES }), z.number(), z.date()], {
    error: TIMESTAMP_TYPES,
  })
  .transform((value, ctx) => {
    if (typeof value === 'number' && !Number.isInteger(value)) {
      ctx.issues.push({ code: 'custom', message: 'epoch milliseconds must be an integer', input: value });
      return z.NEVER;
    }
    const ms =
      typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
    if (ms >= 946_684_800_000 && ms < 4_102_444_800_000) return new Date(ms).toISOString();
    ctx.issues.push({ code: 'custom', message: OUT_OF_RANGE, input: value });
    return z.NEVER;
  });

const referenceTokens = z
  .unknown()
  .check((ctx) => {
    if (typeof ctx.value === 'object' && ctx.value !== null && Object.hasOwn(ctx.value, '__proto__')) {
      ctx.issues.push({
        code: 'custom',
        message: 'token name "__proto__" is not allowed',
        path: ['__proto__'],
        input: ctx.value,
      });
    }
  })
  .pipe(
    z.record(tokenNameSchema, tokenValueSchema, {
      error: (issue) => (issue.code === 'invalid_type' ? 'must be an object of token values' : undefined),
    }),
  );
const referenceEvent = z.strictObject({
  eventTemplateId: z.string(),
  objectId: z.string(),
  tokens: referenceTokens,
});

const NO_CONTROL_CHARACTERS = /^\P{Cc}*$/u;
const requiredOr = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${expected}`;
const referenceFields = {
  eventTemplateId: z.union(
    [
      z
        .string()
        .trim()
        .min(1, 'must not be blank')
        .max(64, 'must be at most 64 characters')
        .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
        .refine(
          (id) => !/\p{Cs}/u.test(id),
          'must be well-formed Unicode: it contains half of a surrogate pair',
        ),
      z
        .number()
        .int('must be an integer when given as a number')
        .positive('must be positive when given as a number')
        .transform(String),
    ],
    { error: requiredOr('a string or a positive integer') },
  ),
  id: z
    .string({ error: requiredOr('a string') })
    .min(1, 'must not be empty')
    .max(128, 'must be at most 128 characters')
    .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
    .regex(/^$|\S/, 'must not be blank (white space only)')
    .refine(
      (id) => !id.includes('{{uuid}}'),
      'must not contain {{uuid}}: HubSpot would make a new id on every retry and create duplicates',
    )
    .refine((id) => !/\p{Cs}/u.test(id), 'must be well-formed Unicode: it contains half of a surrogate pair'),
  objectId: z.union(
    [
      z.string().regex(/^[1-9][0-9]{0,19}$/, 'must be a positive integer written in digits'),
      z.number().int('must be an integer').positive('must be positive').transform(String),
    ],
    { error: 'must be a string of digits or a positive integer' },
  ),
  email: z.email('must be a valid email address').max(254, 'must be at most 254 characters'),
};

type Outcome = { ok: true; value: unknown } | { ok: false; issues: unknown[] };

function outcome(result: z.ZodSafeParseResult<unknown>, pick: (data: never) => unknown): Outcome {
  if (result.success) {
    const value = pick(result.data as never);
    // Entries keep key order in the comparison: the wire JSON follows it.
    return { ok: true, value: value !== null && typeof value === 'object' ? Object.entries(value) : value };
  }
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      code: issue.code,
      path: issue.path.map(String),
      message: issue.message,
      ...(issue.code === 'invalid_key' ? { inner: issue.issues.map((inner) => inner.message) } : {}),
    })),
  };
}

const isoText = fc
  .tuple(
    fc.date({
      min: new Date('1990-01-01T00:00:00Z'),
      max: new Date('2110-01-01T00:00:00Z'),
      noInvalidDate: true,
    }),
    fc.constantFrom('Z', '+01:00', '-05:30', '+23:59', '+24:00', ''),
    fc.boolean(),
  )
  .map(([date, zone, millis]) => {
    const text = date.toISOString().slice(0, millis ? 23 : 19);
    return `${text}${zone}`;
  });

const timestampCandidate = fc.oneof(
  isoText,
  fc.constantFrom(
    '2026-02-29T00:00:00.000Z',
    '2024-02-29T00:00:00.000Z',
    '2026-02-30T00:00:00Z',
    '2026-11-29T25:00:00.000Z',
    '2026-11-29T12:00:00.1234567+01:00',
    '2026-11-29',
    '1999-12-31T23:59:59.999Z',
    '2100-01-01T00:00:00.000Z',
    '2099-12-31T23:59:59.999Z',
  ),
  fc.date({ noInvalidDate: false }),
  fc.integer({ min: 900_000_000_000, max: 4_200_000_000_000 }),
  fc.double(),
  fc.string(),
  fc.anything(),
);

describe('timestampSchema', () => {
  it('accepts, normalises and refuses exactly as the plain zod union does', () => {
    fc.assert(
      fc.property(timestampCandidate, (value) => {
        expect(outcome(timestampSchema.safeParse(value), (data) => data)).toEqual(
          outcome(referenceTimestamp.safeParse(value), (data) => data),
        );
      }),
      { numRuns: 3000 },
    );
  });
});

const tokenName = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/),
  fc.constantFrom('constructor', 'toString', '0', '12', 'a b', '', '__proto__', 'x'.repeat(501)),
  fc.string({ maxLength: 6 }),
);
const tokenValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('x'.repeat(65_535), 'x'.repeat(65_536), Number.NaN, Number.POSITIVE_INFINITY, -0),
  fc.constantFrom('\ud83d', 'a\ude00', '\u{1F600}'),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.date({ noInvalidDate: false }),
  fc.anything({ maxDepth: 1 }),
);

class Tokens {
  page = '/x';
}

/** Objects whose keys or prototype a plain dictionary generator cannot make. */
function unusualTokens(): unknown[] {
  const withSymbol: Record<PropertyKey, unknown> = { page: '/x', [Symbol('s')]: 1 };
  const withHidden = { page: '/x' };
  Object.defineProperty(withHidden, 'hidden', { value: 'x', enumerable: false });
  const nullProto = Object.assign(Object.create(null) as object, { page: '/x', n: 1 });
  return [
    withSymbol,
    withHidden,
    nullProto,
    new Tokens(),
    JSON.parse('{"__proto__":"x","page":"/x"}'),
    { constructor: 'x' },
    { constructor: () => 1 },
    ['a'],
    new Map([['a', 'b']]),
    new Date(0),
    'page=/x',
    null,
    { 2: 'b', 1: 'a', z: 'z', a: 'a' },
  ];
}

describe('tokens of timelineEventInputSchema', () => {
  const parse = (tokens: unknown) => [
    outcome(
      timelineEventInputSchema.safeParse({ eventTemplateId: '1', objectId: '1', tokens }),
      (data: { tokens: unknown }) => data.tokens,
    ),
    outcome(
      referenceEvent.safeParse({ eventTemplateId: '1', objectId: '1', tokens }),
      (data: { tokens: unknown }) => data.tokens,
    ),
  ];

  it('accepts, normalises (in key order) and refuses exactly as zod.record does', () => {
    fc.assert(
      fc.property(fc.dictionary(tokenName, tokenValue, { maxKeys: 6 }), (tokens) => {
        const [actual, expected] = parse(tokens);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it.each(unusualTokens().map((tokens, index) => [index, tokens]))(
    'treats unusual object #%i exactly as zod.record does',
    (_index, tokens) => {
      const [actual, expected] = parse(tokens);
      expect(actual).toEqual(expected);
    },
  );
});

const text = (chars: string) => fc.string({ unit: fc.constantFrom(...chars), maxLength: 8 });
const fieldCandidates = {
  eventTemplateId: fc.oneof(
    text(' 0123456789\t\u0000\u00a0x'),
    fc.constantFrom('1'.repeat(64), ` ${'1'.repeat(64)} `, '1'.repeat(65), '  ', '', '1\ud800', '\udfff '),
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.integer(),
    fc.constantFrom(2 ** 53, 2 ** 53 - 1, 1.5, 0, -0, Number.NaN),
    fc.anything({ maxDepth: 0 }),
  ),
  id: fc.oneof(
    fc.string({ maxLength: 12 }),
    text('ab{}u id\u0007\u0085'),
    fc.constantFrom(
      'a'.repeat(128),
      'a'.repeat(129),
      'x{{uuid}}',
      '',
      ' ',
      '\u00a0',
      '\ud800',
      'a\udfff',
      '\u{1F600}',
    ),
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.anything({ maxDepth: 0 }),
  ),
  objectId: fc.oneof(
    text('0123456789 -+.e'),
    fc.constantFrom('1'.repeat(20), '1'.repeat(21), '0', '01'),
    fc.integer(),
    fc.constantFrom(2 ** 53, 2 ** 53 - 1, 1.5, 0, -1, Number.POSITIVE_INFINITY),
    fc.anything({ maxDepth: 0 }),
  ),
  email: fc.oneof(
    fc.emailAddress(),
    text('ab@.-_+ é'),
    fc.constantFrom(
      `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`,
      'a@b',
      'a@b.c',
    ),
    fc.anything({ maxDepth: 0 }),
  ),
};

describe('fields of timelineEventInputSchema with fast paths', () => {
  const base = { eventTemplateId: '1', objectId: '1', email: 'ana@example.com' };
  const reference = z.strictObject({
    eventTemplateId: referenceFields.eventTemplateId,
    id: referenceFields.id.optional(),
    objectId: referenceFields.objectId.optional(),
    email: referenceFields.email.optional(),
  });

  it.each(Object.entries(fieldCandidates))(
    '%s is accepted, normalised and refused exactly as before',
    (field, values) => {
      const onlyField = (result: z.ZodSafeParseResult<Record<string, unknown>>): Outcome => {
        const full = outcome(result, (data: Record<string, unknown>) => data[field]);
        return full.ok
          ? full
          : {
              ok: false,
              issues: full.issues.filter((issue) => (issue as { path: string[] }).path[0] === field),
            };
      };
      fc.assert(
        fc.property(values, (value) => {
          const input = { ...base, [field]: value };
          const actual = onlyField(
            timelineEventInputSchema.safeParse(input) as z.ZodSafeParseResult<Record<string, unknown>>,
          );
          expect(actual).toEqual(
            onlyField(reference.safeParse(input) as z.ZodSafeParseResult<Record<string, unknown>>),
          );
        }),
        { numRuns: 2000 },
      );
    },
  );
});
