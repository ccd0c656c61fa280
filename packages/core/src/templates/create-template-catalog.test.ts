import { describe, expect, it } from 'vitest';
import { isHublineError } from '../errors/hubline-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { normalizeEvent } from '../event/normalize-event.js';
import type { TimelineEventInput } from '../event/types.js';
import { assertTemplateFit } from './assert-template-fit.js';
import { createTemplateCatalog } from './create-template-catalog.js';
import type { TemplateDeclaration } from './types.js';

const NOW = Date.UTC(2026, 2, 1, 10);

const templates: TemplateDeclaration[] = [
  {
    id: '1001234',
    name: 'visit',
    objectType: 'contacts',
    tokens: [
      { name: 'page', type: 'string', required: true },
      { name: 'seconds', type: 'number' },
      { name: 'scannedAt', type: 'date' },
      {
        name: 'method',
        type: 'enumeration',
        options: [
          { value: 'kiosk', label: 'Kiosk' },
          { value: 'mobile', label: 'Mobile' },
        ],
      },
    ],
  },
  {
    id: 1001235,
    name: 'check-in',
    objectType: 'companies',
    tokens: [{ name: 'location', type: 'string' }],
  },
];

const catalog = createTemplateCatalog(templates);

/** A normalised event from `input` (with a fixed id and record time). */
function event(input: Partial<TimelineEventInput>) {
  return normalizeEvent(
    { eventTemplateId: '1001234', email: 'ana@example.com', tokens: { page: '/pricing' }, ...input },
    { now: NOW, newId: () => 'evt-1' },
  );
}

describe('createTemplateCatalog: check', () => {
  it.each<[string, Partial<TimelineEventInput>]>([
    [
      'an event with every token',
      { tokens: { page: '/a', seconds: 42, scannedAt: new Date(NOW), method: 'kiosk' } },
    ],
    ['only the required token (HubSpot takes events without some tokens)', {}],
    [
      'a decimal number with a fraction, a sign and an exponent',
      { tokens: { page: '/', seconds: '-1.5e3' } },
    ],
    ['a date as epoch milliseconds in text', { tokens: { page: '/', scannedAt: '1767225600000' } }],
    ['a contact event named by utk', { email: undefined, utk: '0123456789abcdef0123456789abcdef' }],
    ['a contact event named by objectId', { email: undefined, objectId: 901 }],
    [
      'a company event named by objectId',
      { eventTemplateId: 1001235, email: undefined, objectId: 77, tokens: {} },
    ],
  ])('accepts %s', (_name, input) => {
    expect(catalog.check(event(input))).toEqual([]);
  });

  it.each<[string, Partial<TimelineEventInput>, { path: string; message: RegExp }[]]>([
    [
      'an unknown template',
      { eventTemplateId: '999' },
      [{ path: 'eventTemplateId', message: /not a known event template \(known: 1001234, 1001235\)/ }],
    ],
    [
      'a token the template does not declare',
      { tokens: { page: '/', colour: 'red' } },
      [
        {
          path: 'tokens.colour',
          message: /not a token of template 1001234 \("visit"\).*page, seconds, scannedAt, method/,
        },
      ],
    ],
    [
      'a missing required token',
      { tokens: { seconds: 3 } },
      [{ path: 'tokens.page', message: /is required by template 1001234/ }],
    ],
    [
      'a number token that is not a number',
      { tokens: { page: '/', seconds: 'forty' } },
      [{ path: 'tokens.seconds', message: /finite decimal number/ }],
    ],
    [
      'a number token past the finite range',
      { tokens: { page: '/', seconds: '1e999' } },
      [{ path: 'tokens.seconds', message: /finite decimal/ }],
    ],
    [
      'a date token given as ISO text',
      { tokens: { page: '/', scannedAt: '2026-03-01T10:00:00Z' } },
      [{ path: 'tokens.scannedAt', message: /epoch milliseconds/ }],
    ],
    [
      'a date token given as a fraction',
      { tokens: { page: '/', scannedAt: '1767225600000.5' } },
      [{ path: 'tokens.scannedAt', message: /epoch milliseconds/ }],
    ],
    [
      'an enumeration value that is no option',
      { tokens: { page: '/', method: 'Kiosk' } },
      [{ path: 'tokens.method', message: /must be one of "kiosk", "mobile"/ }],
    ],
    [
      'a company event naming a contact instead of its record',
      { eventTemplateId: 1001235, tokens: {} },
      [
        { path: 'objectId', message: /is required: template 1001235 \("check-in"\) is for companies/ },
        { path: 'email', message: /identifies a contact/ },
      ],
    ],
    [
      'a company event with objectId and a utk',
      { eventTemplateId: 1001235, email: undefined, objectId: 5, utk: 'abc', tokens: {} },
      [{ path: 'utk', message: /identifies a contact, but template 1001235/ }],
    ],
  ])('refuses %s, naming the field', (_name, input, expected) => {
    const issues = catalog.check(event(input));
    expect(issues).toEqual(
      expected.map((issue) => ({ path: issue.path, message: expect.stringMatching(issue.message) })),
    );
  });

  it('lists every problem of one event, in the order of its fields', () => {
    const issues = catalog.check(
      event({ tokens: { seconds: 'x', colour: 'red', method: 'fax' }, email: 'ana@example.com' }),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      'tokens.seconds',
      'tokens.colour',
      'tokens.method',
      'tokens.page',
    ]);
  });

  it('requires every declared token with requireAllTokens', () => {
    const strict = createTemplateCatalog(templates, { requireAllTokens: true });
    expect(strict.check(event({})).map((issue) => issue.path)).toEqual([
      'tokens.seconds',
      'tokens.scannedAt',
      'tokens.method',
    ]);
  });

  it("accepts ISO dates and date-times for date tokens with dateTokens: 'epoch-ms-or-iso', and still refuses junk", () => {
    const lenient = createTemplateCatalog(templates, { dateTokens: 'epoch-ms-or-iso' });
    for (const scannedAt of ['2026-03-01', '2026-03-01T10:00:00.5+01:00', '1767225600000']) {
      expect(lenient.check(event({ tokens: { page: '/', scannedAt } }))).toEqual([]);
    }
    expect(
      lenient.check(event({ tokens: { page: '/', scannedAt: 'yesterday' } })).map((issue) => issue.path),
    ).toEqual(['tokens.scannedAt']);
  });

  it('treats CONTACT written in any case as a contact template', () => {
    const upper = createTemplateCatalog([{ id: '7', name: 'legacy', objectType: 'CONTACT' }]);
    expect(upper.check(event({ eventTemplateId: '7', tokens: {} }))).toEqual([]);
  });

  it('says a catalog with no templates has none', () => {
    expect(createTemplateCatalog([]).check(event({}))).toEqual([
      { path: 'eventTemplateId', message: 'is not a known event template (the catalog has none)' },
    ]);
  });

  it('finds templates by id, with their defaults filled in', () => {
    expect(catalog.get('1001235')).toEqual({
      id: '1001235',
      name: 'check-in',
      objectType: 'companies',
      tokens: [{ name: 'location', type: 'string', label: 'location', options: [], required: false }],
    });
    expect(catalog.get('404')).toBeUndefined();
    expect(catalog.templates.map((template) => template.id)).toEqual(['1001234', '1001235']);
  });

  it('refuses unusable options, naming each', () => {
    const options = { requireAllTokens: 'yes', dateTokens: 'iso' } as never;
    expect(() => createTemplateCatalog(templates, options)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        issues: [
          { path: 'requireAllTokens', message: 'must be a boolean' },
          { path: 'dateTokens', message: 'must be "epoch-ms" or "epoch-ms-or-iso"' },
        ],
      }),
    );
  });
});

describe('assertTemplateFit', () => {
  it('passes an event that fits', () => {
    expect(() => assertTemplateFit(catalog, event({}))).not.toThrow();
  });

  it('throws one ValidationError listing every issue of an event that does not fit', () => {
    let thrown: unknown;
    try {
      assertTemplateFit(catalog, event({ tokens: { colour: 'red' } }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect(isHublineError(thrown, 'VALIDATION_FAILED')).toBe(true);
    expect((thrown as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'tokens.colour',
      'tokens.page',
    ]);
    expect((thrown as ValidationError).message).toMatch(/^Invalid timeline event \(2 problems\)/);
  });

  it('records anything while the checker has nothing to check against', () => {
    expect(() => assertTemplateFit({ check: () => [] }, event({ eventTemplateId: '999' }))).not.toThrow();
  });
});
