import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { requestBodyValidator } from '../../test/support/hubspot-spec.js';
import { validTimelineEventInput as validInput } from '../../test/support/valid-input.js';
import { isHublineError } from '../errors/hubline-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { NORMALIZE_DEFAULTS } from './limits.js';
import { normalizeEvent, normalizeEventWithJson } from './normalize-event.js';
import type { NormalizeEventOptions } from './normalize-event-options.js';
import type { timelineEventInputSchema } from './schema.js';
import type { TimelineEvent, TimelineEventInput } from './types.js';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0, 0);
const NOW_ISO = '2026-11-29T12:00:00.000Z';

function options(overrides: Partial<NormalizeEventOptions> = {}): NormalizeEventOptions {
  let next = 0;
  return { now: NOW, newId: () => `GENERATED-${++next}`, ...overrides };
}

/** The error `normalizeEvent` throws for `input`, or a failure when it accepts it. */
function refusal(input: unknown, overrides: Partial<NormalizeEventOptions> = {}): ValidationError {
  try {
    normalizeEvent(input, options(overrides));
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`expected a refusal of ${JSON.stringify(input)}`);
}

const base = { eventTemplateId: '1001234', email: 'ana@example.com' };

describe('normalizeEvent: the schema agrees with the public types', () => {
  it('accepts every TimelineEventInput and produces the TimelineEvent fields', () => {
    expectTypeOf<TimelineEventInput>().toExtend<import('zod').input<typeof timelineEventInputSchema>>();
    expectTypeOf<Omit<TimelineEvent, 'id' | 'timestamp'>>().toExtend<
      Omit<import('zod').output<typeof timelineEventInputSchema>, 'id' | 'timestamp'>
    >();
    expectTypeOf<import('zod').output<typeof timelineEventInputSchema>>().toExtend<
      Omit<TimelineEvent, 'id' | 'timestamp' | 'tokens'> & { id?: string; timestamp?: string }
    >();
  });
});

describe('normalizeEvent: accepted inputs and their wire form', () => {
  const accepted: [name: string, input: Record<string, unknown>, expected: Partial<TimelineEvent>][] = [
    [
      'a numeric template id becomes a string',
      { ...base, eventTemplateId: 1001234 },
      { eventTemplateId: '1001234' },
    ],
    ['a template id is trimmed', { ...base, eventTemplateId: ' 1001234 ' }, { eventTemplateId: '1001234' }],
    ['an own id is kept', { ...base, id: 'order-42:visit' }, { id: 'order-42:visit' }],
    ['a missing id comes from newId', base, { id: 'GENERATED-1' }],
    ['missing tokens become {}', base, { tokens: {} }],
    [
      'string tokens stay as they are',
      { ...base, tokens: { page: '/pricing', empty: '' } },
      { tokens: { page: '/pricing', empty: '' } },
    ],
    [
      'number tokens use String(n)',
      { ...base, tokens: { n: 42, f: 1.5, neg: -3, big: 1e21 } },
      { tokens: { n: '42', f: '1.5', neg: '-3', big: '1e+21' } },
    ],
    [
      'boolean tokens become "true"/"false"',
      { ...base, tokens: { yes: true, no: false } },
      { tokens: { yes: 'true', no: 'false' } },
    ],
    [
      'Date tokens become epoch milliseconds',
      { ...base, tokens: { at: new Date('2026-01-01T00:00:00Z') } },
      { tokens: { at: '1767225600000' } },
    ],
    [
      'token names may use letters, digits, ".", "-", "_"',
      { ...base, tokens: { 'a.B-c_9': 'x' } },
      { tokens: { 'a.B-c_9': 'x' } },
    ],
    [
      'objectId as a number becomes a string',
      { eventTemplateId: '1', objectId: 51234 },
      { objectId: '51234' },
    ],
    [
      'objectId as digits stays',
      { eventTemplateId: '1', objectId: '9007199254740993' },
      { objectId: '9007199254740993' },
    ],
    [
      'utk alone names a contact',
      { eventTemplateId: '1', utk: 'f0e1d2c3b4a5968778695a4b3c2d1e0f' },
      { utk: 'f0e1d2c3b4a5968778695a4b3c2d1e0f' },
    ],
    [
      'several identifiers are passed through',
      { ...base, objectId: 7, utk: 'u' },
      { objectId: '7', email: 'ana@example.com', utk: 'u' },
    ],
    [
      'domain and customObjectTypeId pass',
      { ...base, objectId: 42, domain: 'shop.example.com', customObjectTypeId: '2-3456789' },
      { objectId: '42', domain: 'shop.example.com', customObjectTypeId: '2-3456789' },
    ],
    [
      'customObjectTypeId with objectId alone',
      { eventTemplateId: '1', objectId: '42', customObjectTypeId: '2-3456789' },
      { objectId: '42', customObjectTypeId: '2-3456789' },
    ],
    ['an id with a surrogate pair (an emoji)', { ...base, id: 'visit-\u{1F600}' }, { id: 'visit-\u{1F600}' }],
    ['an id with inner spaces', { ...base, id: 'visit 42' }, { id: 'visit 42' }],
    [
      'surrogate pairs (emoji) in token values and extraData keys and values',
      { ...base, tokens: { page: '/\u{1F600}' }, extraData: { '\u{1F600}': ['\u{1F600}'] } },
      { tokens: { page: '/\u{1F600}' }, extraData: { '\u{1F600}': ['\u{1F600}'] } },
    ],
    [
      'a Date timestamp becomes ISO UTC',
      { ...base, timestamp: new Date('2026-03-01T10:00:00Z') },
      { timestamp: '2026-03-01T10:00:00.000Z' },
    ],
    [
      'an ISO timestamp with offset becomes UTC',
      { ...base, timestamp: '2026-03-01T10:00:00+02:00' },
      { timestamp: '2026-03-01T08:00:00.000Z' },
    ],
    [
      'extra fractional digits are cut to milliseconds',
      { ...base, timestamp: '2026-03-01T10:00:00.123456Z' },
      { timestamp: '2026-03-01T10:00:00.123Z' },
    ],
    [
      'the last accepted instant',
      { ...base, timestamp: '2099-12-31T23:59:59.999Z' },
      { timestamp: '2099-12-31T23:59:59.999Z' },
    ],
    [
      'the first accepted instant',
      { ...base, timestamp: 946_684_800_000 },
      { timestamp: '2000-01-01T00:00:00.000Z' },
    ],
    [
      'epoch milliseconds become ISO UTC',
      { ...base, timestamp: 1_780_000_000_000 },
      { timestamp: '2026-05-28T20:26:40.000Z' },
    ],
    ['a missing timestamp is stamped with now', base, { timestamp: NOW_ISO }],
    [
      'extraData is copied as JSON, undefined properties dropped',
      { ...base, extraData: { a: [1, 'x', null, { b: true }], gone: undefined } },
      { extraData: { a: [1, 'x', null, { b: true }] } },
    ],
    [
      'a complete iframe passes',
      {
        ...base,
        timelineIFrame: {
          linkLabel: 'Open',
          headerLabel: 'Details',
          url: 'http://example.com/x?y=1',
          width: 600,
          height: 2_147_483_647,
        },
      },
      {
        timelineIFrame: {
          linkLabel: 'Open',
          headerLabel: 'Details',
          url: 'http://example.com/x?y=1',
          width: 600,
          height: 2_147_483_647,
        },
      },
    ],
  ];

  it.each(accepted)('%s', (_name, input, expected) => {
    expect(normalizeEvent(input, options())).toMatchObject(expected);
  });

  it('writes keys in wire order and omits absent optional fields', () => {
    const event = normalizeEvent(
      {
        timestamp: 1_780_000_000_000,
        tokens: { b: 1, a: 2 },
        email: 'ana@example.com',
        eventTemplateId: 5,
        id: 'x',
      },
      options(),
    );
    expect(JSON.stringify(event)).toBe(
      '{"eventTemplateId":"5","id":"x","tokens":{"b":"1","a":"2"},"email":"ana@example.com","timestamp":"2026-05-28T20:26:40.000Z"}',
    );
    const full = normalizeEvent(
      {
        timelineIFrame: { height: 2, width: 1, url: 'https://e.com', headerLabel: 'h', linkLabel: 'l' },
        extraData: {},
        timestamp: NOW,
        customObjectTypeId: '2-1',
        domain: 'e.com',
        utk: 'u',
        email: 'a@e.com',
        objectId: 1,
        tokens: {},
        id: 'i',
        eventTemplateId: '1',
      },
      options(),
    );
    expect(Object.keys(full)).toEqual([
      'eventTemplateId',
      'id',
      'tokens',
      'objectId',
      'email',
      'utk',
      'domain',
      'customObjectTypeId',
      'timestamp',
      'extraData',
      'timelineIFrame',
    ]);
    expect(Object.keys(full.timelineIFrame ?? {})).toEqual([
      'linkLabel',
      'headerLabel',
      'url',
      'width',
      'height',
    ]);
  });

  it('calls newId only when the input has no id', () => {
    let calls = 0;
    const newId = () => `N${++calls}`;
    normalizeEvent({ ...base, id: 'own' }, { now: NOW, newId });
    expect(calls).toBe(0);
    expect(normalizeEvent(base, { now: NOW, newId }).id).toBe('N1');
  });

  it('does not share extraData with the input, so later mutation cannot change the event', () => {
    const extraData = { nested: { n: 1 } };
    const event = normalizeEvent({ ...base, extraData }, options());
    extraData.nested.n = 2;
    expect(event.extraData).toEqual({ nested: { n: 1 } });
  });

  it('keeps an own "__proto__" key of extraData as data without touching prototypes', () => {
    const extraData = JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const event = normalizeEvent({ ...base, extraData }, options());
    expect(JSON.stringify(event.extraData)).toBe('{"__proto__":{"polluted":true}}');
    expect(Object.getPrototypeOf(event.extraData)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('normalizeEvent: refused inputs name every problem with its path', () => {
  const deep = (levels: number): Record<string, unknown> => {
    let value: Record<string, unknown> = {};
    for (let index = 1; index < levels; index++) value = { d: value };
    return value;
  };
  const cyclic: Record<string, unknown> = { a: { b: [] as unknown[] } };
  ((cyclic.a as Record<string, unknown>).b as unknown[]).push(cyclic);
  const iframe = {
    linkLabel: 'Open',
    headerLabel: 'Details',
    url: 'https://example.com',
    width: 600,
    height: 400,
  };

  const refused: [name: string, input: unknown, paths: string[], message?: RegExp][] = [
    ['not an object', 'event', [''], /must be an object/],
    ['null', null, [''], /must be an object/],
    ['an array', [], [''], /must be an object/],
    ['a missing template id', { email: 'a@example.com' }, ['eventTemplateId'], /required/],
    ['a blank template id', { ...base, eventTemplateId: '   ' }, ['eventTemplateId'], /blank/],
    [
      'a template id of 65 characters',
      { ...base, eventTemplateId: '1'.repeat(65) },
      ['eventTemplateId'],
      /64/,
    ],
    ['a fractional template id', { ...base, eventTemplateId: 1.5 }, ['eventTemplateId'], /integer/],
    [
      'a boolean template id',
      { ...base, eventTemplateId: true },
      ['eventTemplateId'],
      /string or a positive integer/,
    ],
    ['an unknown field "token"', { ...base, token: { a: 'b' } }, ['token'], /did you mean "tokens"/],
    ['an unknown field with no near match', { ...base, colour: 'red' }, ['colour'], /not a known field/],
    ['an empty id', { ...base, id: '' }, ['id'], /empty/],
    ['an id of 129 characters', { ...base, id: 'x'.repeat(129) }, ['id'], /128/],
    ['an id with a control character', { ...base, id: 'a\nb' }, ['id'], /control/],
    ['an id with {{uuid}}', { ...base, id: 'visit-{{uuid}}' }, ['id'], /uuid/],
    ['a blank id', { ...base, id: '   ' }, ['id'], /blank/],
    ['an id with a lone high surrogate', { ...base, id: 'visit-\ud83d' }, ['id'], /surrogate/],
    ['an id with a lone low surrogate', { ...base, id: '\ude00visit' }, ['id'], /surrogate/],
    // Every string that is sent must cross JSON and UTF-8 unchanged, not only the id.
    [
      'a template id with a lone surrogate',
      { ...base, eventTemplateId: '100\ud83d' },
      ['eventTemplateId'],
      /surrogate/,
    ],
    [
      'a token value with a lone surrogate',
      { ...base, tokens: { page: '/x\ud83d' } },
      ['tokens.page'],
      /surrogate/,
    ],
    ['a utk with a lone surrogate', { ...base, utk: 'f1\ude00' }, ['utk'], /surrogate/],
    [
      'a customObjectTypeId with a lone surrogate',
      { eventTemplateId: '1', objectId: '42', customObjectTypeId: '2-\ud800' },
      ['customObjectTypeId'],
      /surrogate/,
    ],
    ['an email with a lone surrogate', { ...base, email: 'an\ud83da@example.com' }, ['email']],
    ['a domain with a lone surrogate', { ...base, domain: 'exa\ud83dmple.com' }, ['domain']],
    [
      'an extraData string deep inside with a lone surrogate',
      { ...base, extraData: { a: { b: ['ok', 'x\udfff'] } } },
      ['extraData.a.b[1]'],
      /surrogate/,
    ],
    [
      'an extraData key with a lone surrogate',
      { ...base, extraData: { a: { 'k\ud800': 1 } } },
      ['extraData.a["k\\ud800"]'],
      /name must be well-formed/,
    ],
    [
      'iframe fields with lone surrogates',
      {
        ...base,
        timelineIFrame: {
          linkLabel: 'Open\ud83d',
          headerLabel: '\ude00Details',
          url: 'https://example.com/\ud83d',
          width: 600,
          height: 400,
        },
      },
      ['timelineIFrame.linkLabel', 'timelineIFrame.headerLabel', 'timelineIFrame.url'],
      /surrogate/,
    ],
    ['tokens that are not an object', { ...base, tokens: 'page=/x' }, ['tokens'], /object of token values/],
    [
      'a token name with a space',
      { ...base, tokens: { 'page views': 1 } },
      ['tokens["page views"]'],
      /letters, digits/,
    ],
    ['an empty token name', { ...base, tokens: { '': 1 } }, ['tokens[""]'], /letters, digits/],
    [
      'a token name of 501 characters',
      { ...base, tokens: { ['a'.repeat(501)]: 1 } },
      [`tokens.${'a'.repeat(501)}`],
      /500/,
    ],
    [
      'a "__proto__" token name',
      { ...base, tokens: JSON.parse('{"__proto__":"x"}') },
      ['tokens.__proto__'],
      /__proto__/,
    ],
    ['a NaN token value', { ...base, tokens: { n: Number.NaN } }, ['tokens.n'], /finite number/],
    [
      'an Infinity token value',
      { ...base, tokens: { n: Number.POSITIVE_INFINITY } },
      ['tokens.n'],
      /finite number/,
    ],
    [
      'an invalid Date token value',
      { ...base, tokens: { at: new Date('nope') } },
      ['tokens.at'],
      /valid Date/,
    ],
    ['an object token value', { ...base, tokens: { o: { a: 1 } } }, ['tokens.o'], /string, a finite number/],
    ['a null token value', { ...base, tokens: { o: null } }, ['tokens.o'], /string, a finite number/],
    [
      'a token value of 65,536 characters',
      { ...base, tokens: { t: 'x'.repeat(65_536) } },
      ['tokens.t'],
      /65535/,
    ],
    ['no target at all', { eventTemplateId: '1' }, [''], /objectId.*email.*utk/],
    ['objectId zero', { eventTemplateId: '1', objectId: 0 }, ['objectId'], /positive/],
    ['objectId with letters', { eventTemplateId: '1', objectId: '12a' }, ['objectId'], /digits/],
    ['objectId unsafe integer', { eventTemplateId: '1', objectId: 2 ** 53 }, ['objectId']],
    ['a malformed email', { eventTemplateId: '1', email: 'ana@' }, ['email'], /valid email/],
    [
      'an email with spaces',
      { eventTemplateId: '1', email: 'ana maria@example.com' },
      ['email'],
      /valid email/,
    ],
    ['an empty utk', { eventTemplateId: '1', utk: '' }, ['utk'], /empty/],
    ['a blank utk', { eventTemplateId: '1', utk: '   ' }, ['utk'], /blank/],
    [
      'customObjectTypeId named by email alone',
      { eventTemplateId: '1', email: 'ana@example.com', customObjectTypeId: '2-3456789' },
      ['objectId'],
      /required with customObjectTypeId/,
    ],
    [
      'customObjectTypeId named by utk alone',
      { eventTemplateId: '1', utk: 'f0e1d2c3', customObjectTypeId: '2-3456789' },
      ['objectId'],
      /email.*utk.*contacts/,
    ],
    [
      'a blank customObjectTypeId',
      { ...base, objectId: 1, customObjectTypeId: ' ' },
      ['customObjectTypeId'],
      /blank/,
    ],
    ['a domain with a space', { ...base, domain: 'exa mple.com' }, ['domain'], /hostname/],
    ['a domain that is a URL', { ...base, domain: 'https://example.com' }, ['domain'], /hostname/],
    [
      'an empty customObjectTypeId',
      { ...base, objectId: 1, customObjectTypeId: '' },
      ['customObjectTypeId'],
      /empty/,
    ],
    [
      'a local time without zone',
      { ...base, timestamp: '2026-03-01T10:00:00' },
      ['timestamp'],
      /seconds and a zone/,
    ],
    ['a date without time', { ...base, timestamp: '2026-03-01' }, ['timestamp'], /RFC 3339/],
    ['an invalid Date timestamp', { ...base, timestamp: new Date(Number.NaN) }, ['timestamp']],
    ['epoch seconds as timestamp', { ...base, timestamp: 1_780_000_000 }, ['timestamp'], /epoch seconds/],
    ['a timestamp in 2100', { ...base, timestamp: '2100-01-01T00:00:00Z' }, ['timestamp'], /2100/],
    [
      'a canonical timestamp in 1999',
      { ...base, timestamp: '1999-12-31T23:59:59.999Z' },
      ['timestamp'],
      /2000/,
    ],
    [
      'an impossible calendar date',
      { ...base, timestamp: '2026-02-30T00:00:00.000Z' },
      ['timestamp'],
      /RFC 3339/,
    ],
    ['a fractional epoch timestamp', { ...base, timestamp: 1_780_000_000_000.5 }, ['timestamp'], /integer/],
    ['extraData that is an array', { ...base, extraData: [1] }, ['extraData'], /plain JSON object/],
    ['extraData that is a string', { ...base, extraData: 'x' }, ['extraData'], /plain JSON object/],
    [
      'a function in extraData',
      { ...base, extraData: { a: { b: [0, 1, () => 1] } } },
      ['extraData.a.b[2]'],
      /function/,
    ],
    ['a symbol in extraData', { ...base, extraData: { s: Symbol('s') } }, ['extraData.s'], /symbol/],
    ['a BigInt in extraData', { ...base, extraData: { n: 10n } }, ['extraData.n'], /BigInt/],
    [
      'undefined inside an array',
      { ...base, extraData: { a: [undefined] } },
      ['extraData.a[0]'],
      /undefined/,
    ],
    [
      'an empty array slot',
      { ...base, extraData: { a: new Array<number>(3).fill(1, 0, 1).fill(3, 2) } },
      ['extraData.a[1]'],
      /empty slot/,
    ],
    ['NaN in extraData', { ...base, extraData: { n: Number.NaN } }, ['extraData.n'], /finite/],
    [
      '-Infinity in extraData',
      { ...base, extraData: { n: [Number.NEGATIVE_INFINITY] } },
      ['extraData.n[0]'],
      /finite/,
    ],
    ['a Date in extraData', { ...base, extraData: { at: new Date() } }, ['extraData.at'], /Date/],
    ['a Map in extraData', { ...base, extraData: { m: new Map() } }, ['extraData.m'], /Map/],
    [
      'a class instance in extraData',
      { ...base, extraData: { c: new (class Point {})() } },
      ['extraData.c'],
      /Point/,
    ],
    ['a cycle in extraData', { ...base, extraData: cyclic }, ['extraData.a.b[0]'], /circular/],
    [
      'extraData nested 33 deep',
      { ...base, extraData: deep(33) },
      [`extraData${'.d'.repeat(32)}`],
      /32 levels/,
    ],
    [
      'an iframe missing fields',
      { ...base, timelineIFrame: { url: 'https://example.com' } },
      [
        'timelineIFrame.linkLabel',
        'timelineIFrame.headerLabel',
        'timelineIFrame.width',
        'timelineIFrame.height',
      ],
      /required/,
    ],
    [
      'an iframe with a blank header label',
      { ...base, timelineIFrame: { ...iframe, headerLabel: ' ' } },
      ['timelineIFrame.headerLabel'],
      /blank/,
    ],
    [
      'an iframe with a blank link label',
      { ...base, timelineIFrame: { ...iframe, linkLabel: '\u00a0 ' } },
      ['timelineIFrame.linkLabel'],
      /blank/,
    ],
    [
      'an iframe with an ftp url',
      { ...base, timelineIFrame: { ...iframe, url: 'ftp://example.com/x' } },
      ['timelineIFrame.url'],
      /http\(s\)/,
    ],
    [
      'an iframe with a relative url',
      { ...base, timelineIFrame: { ...iframe, url: '/x' } },
      ['timelineIFrame.url'],
      /http\(s\)/,
    ],
    [
      'an iframe with width 0',
      { ...base, timelineIFrame: { ...iframe, width: 0 } },
      ['timelineIFrame.width'],
      /positive/,
    ],
    [
      'an iframe with a fractional height',
      { ...base, timelineIFrame: { ...iframe, height: 1.5 } },
      ['timelineIFrame.height'],
      /integer/,
    ],
    [
      'an iframe wider than int32',
      { ...base, timelineIFrame: { ...iframe, width: 2 ** 31 } },
      ['timelineIFrame.width'],
      /2147483647/,
    ],
    [
      'an iframe with an unknown field',
      { ...base, timelineIFrame: { ...iframe, urll: 'x' } },
      ['timelineIFrame.urll'],
      /did you mean "url"/,
    ],
    [
      'an iframe that is not an object',
      { ...base, timelineIFrame: 'https://example.com' },
      ['timelineIFrame'],
      /object/,
    ],
  ];

  it.each(refused)('refuses %s', (_name, input, paths, message) => {
    const error = refusal(input);
    expect(error.issues.map((issue) => issue.path)).toEqual(paths);
    expect(isHublineError(error, 'VALIDATION_FAILED')).toBe(true);
    if (message !== undefined) expect(error.issues[0]?.message).toMatch(message);
    for (const path of paths) expect(error.message).toContain(path === '' ? '(root)' : path);
  });

  it('lists every problem of one input together, in one error', () => {
    const error = refusal({
      eventTemplateId: '',
      token: {},
      tokens: { 'bad name': 1, ok: Number.NaN },
      timestamp: 'yesterday',
      extraData: { a: { b: [1, 2, () => 0] } },
      timelineIFrame: { linkLabel: 'Open', headerLabel: 'Details', url: 'ftp://x', width: 0, height: 10 },
    });
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'eventTemplateId',
      'tokens["bad name"]',
      'tokens.ok',
      'timestamp',
      'extraData.a.b[2]',
      'timelineIFrame.url',
      'timelineIFrame.width',
      'token',
      '',
    ]);
    expect(error.message).toMatch(/^Invalid timeline event \(9 problems\):/);
  });
});

describe('normalizeEvent: the size limit', () => {
  it('accepts an event of exactly the limit and refuses one byte more, naming size and limit', () => {
    const probe = normalizeEvent({ ...base, id: 'x', tokens: { t: '' } }, options());
    const room = NORMALIZE_DEFAULTS.maxEventBytes - Buffer.byteLength(JSON.stringify(probe));
    const fits = { ...base, id: 'x', tokens: { t: 'a'.repeat(room) } };
    expect(Buffer.byteLength(JSON.stringify(normalizeEvent(fits, options())))).toBe(
      NORMALIZE_DEFAULTS.maxEventBytes,
    );
    const error = refusal({ ...fits, tokens: { t: 'a'.repeat(room + 1) } });
    expect(error.issues).toEqual([
      {
        path: '',
        message: `is ${NORMALIZE_DEFAULTS.maxEventBytes + 1} bytes of JSON, over the limit of ${NORMALIZE_DEFAULTS.maxEventBytes} bytes`,
      },
    ]);
  });

  it('measures UTF-8 bytes, not characters', () => {
    const probe = normalizeEvent({ ...base, id: 'x', tokens: { t: '' } }, options());
    const limit = Buffer.byteLength(JSON.stringify(probe)) + 8;
    expect(() =>
      normalizeEvent({ ...base, id: 'x', tokens: { t: '€€' } }, options({ maxEventBytes: limit })),
    ).not.toThrow();
    expect(
      refusal({ ...base, id: 'x', tokens: { t: '€€€' } }, { maxEventBytes: limit }).issues[0]?.message,
    ).toContain(`${limit + 1} bytes`);
  });

  it('takes its limit from options', () => {
    expect(refusal(base, { maxEventBytes: 50 }).issues[0]?.message).toMatch(/over the limit of 50 bytes/);
  });
});

/** HubSpot's v3 batch body, closed over TimelineEvent so a stray field fails too; events are checked one per body. */
const validateBatchBody = requestBodyValidator(
  'timeline-v3.openapi.json',
  '/integrators/timeline/v3/events/batch/create',
  {
    closedSchemas: ['TimelineEvent', 'TimelineEventIFrame'],
  },
);

describe('normalizeEvent: properties', () => {
  const roomy = { maxEventBytes: 10 * 1024 * 1024 };

  it('turns any valid input into an event valid against HubSpot v3 TimelineEvent schema', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const event = normalizeEvent(input, options(roomy));
        expect(validateBatchBody({ inputs: [JSON.parse(JSON.stringify(event))] })).toEqual([]);
      }),
    );
  });

  it('is idempotent: normalising an event again gives the same JSON', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const once = normalizeEvent(input, options(roomy));
        const twice = normalizeEvent(once, options(roomy));
        expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
      }),
    );
  });

  it('survives a JSON round trip unchanged (what the outbox stores is what it reads back)', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const event = normalizeEvent(input, options(roomy));
        expect(JSON.parse(JSON.stringify(event))).toStrictEqual(event);
      }),
    );
  });

  it('refuses, never crashes on, arbitrary values, even with getters that throw anywhere in them', () => {
    const candidates = fc.oneof(fc.anything(), validInput);
    const getterKeys = fc.constantFrom('tokens', 'extraData', 'timelineIFrame', 'email', 'page', 'url', 'a');
    fc.assert(
      fc.property(candidates, fc.array(fc.option(getterKeys), { minLength: 1 }), (candidate, getters) => {
        const input = withThrowingGetters(candidate, getters);
        try {
          normalizeEvent(input, options(roomy));
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          const refusal = error as ValidationError;
          expect(refusal.issues.length).toBeGreaterThan(0);
          if (refusal.issues.some((issue) => issue.message.startsWith('could not be read'))) {
            expect(refusal.cause).toBe(BOOM);
          }
        }
      }),
    );
  });
});

const BOOM = new Error('boom');

/**
 * A copy of `value` in which plain objects get a getter that throws {@link BOOM}, under the key the next entry of
 * `getters` names (none for `null`): the shapes a class instance flattened by hand or a Proxy can take.
 */
function withThrowingGetters(value: unknown, getters: readonly (string | null)[]): unknown {
  let next = 0;
  const arm = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(arm);
    if (typeof item !== 'object' || item === null || Object.getPrototypeOf(item) !== Object.prototype)
      return item;
    const out = {};
    for (const [key, inner] of Object.entries(item)) {
      Object.defineProperty(out, key, {
        value: arm(inner),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    const key = getters[next++ % getters.length];
    if (key !== null && key !== undefined) {
      Object.defineProperty(out, key, {
        get() {
          throw BOOM;
        },
        enumerable: true,
        configurable: true,
      });
    }
    return out;
  };
  return arm(value);
}

describe('normalizeEvent: a getter that throws', () => {
  const throwing = (target: object, key: string) =>
    Object.defineProperty(target, key, {
      get() {
        throw BOOM;
      },
      enumerable: true,
    });

  it.each<[string, () => unknown, string[]]>([
    ['inside extraData', () => ({ ...base, extraData: { a: throwing({}, 'b') } }), ['extraData.a.b']],
    [
      'on an extraData array item',
      () => ({ ...base, extraData: { list: throwing([1], '0') } }),
      ['extraData.list[0]'],
    ],
    ['on a token', () => ({ ...base, tokens: throwing({ ok: 1 }, 'page') }), ['tokens.page']],
    ['on a field of the event', () => throwing({ ...base }, 'utk'), ['utk']],
    ['on an iframe field', () => ({ ...base, timelineIFrame: throwing({}, 'url') }), ['timelineIFrame.url']],
  ])('%s is a ValidationError naming its path, with what it threw as the cause', (_name, build, paths) => {
    const error = refusal(build());
    expect(error.issues.map((issue) => issue.path)).toEqual(paths);
    expect(error.issues[0]?.message).toBe('could not be read: reading it threw Error: boom');
    expect(error.cause).toBe(BOOM);
  });

  it('is listed beside the other problems of tokens and extraData', () => {
    const error = refusal({
      eventTemplateId: '1',
      email: 'ana@',
      tokens: throwing({ 'bad name': 1 }, 'page'),
      extraData: { n: Number.NaN, a: throwing({}, 'b') },
    });
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'tokens.page',
      'email',
      'extraData.n',
      'extraData.a.b',
    ]);
  });
});

describe('normalizeEventWithJson', () => {
  it('returns the event with the JSON text and UTF-8 size measured for the limit', () => {
    const { event, json, bytes } = normalizeEventWithJson({ ...base, tokens: { t: 'naïve €' } }, options());
    expect(event).toEqual(normalizeEvent({ ...base, tokens: { t: 'naïve €' } }, options()));
    expect(json).toBe(JSON.stringify(event));
    expect(bytes).toBe(Buffer.byteLength(json));
  });

  it('returns exactly JSON.stringify(event) and its UTF-8 size for any valid input, escapes included', () => {
    const anyText = fc.string({ unit: 'binary', maxLength: 12 });
    const withAnyText = fc.tuple(validInput, anyText, anyText).map(([input, text, key]) => ({
      ...input,
      tokens: { ...input.tokens, t: text },
      ...(input.extraData === undefined ? {} : { extraData: { ...input.extraData, [key]: text } }),
    }));
    fc.assert(
      fc.property(withAnyText, (input) => {
        const { event, json, bytes } = normalizeEventWithJson(
          input,
          options({ maxEventBytes: 10 * 1024 * 1024 }),
        );
        expect(json).toBe(JSON.stringify(event));
        expect(bytes).toBe(Buffer.byteLength(json));
      }),
    );
  });
});
