import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../event/normalize-event.js';
import type { TimelineEventInput, TokenValue } from '../event/types.js';
import { isContactObjectType } from './compile-template.js';
import { createTemplateCatalog } from './create-template-catalog.js';
import type { TemplateDeclaration, TemplateTokenDeclaration } from './types.js';

const NOW = Date.UTC(2026, 2, 1);

const tokenName = fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/).filter((name) => name !== '__proto__');

const token: fc.Arbitrary<TemplateTokenDeclaration> = fc
  .record({
    name: tokenName,
    type: fc.constantFrom('string', 'number', 'date', 'enumeration' as const),
    required: fc.boolean(),
    options: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 }),
  })
  .map(({ options, ...rest }) =>
    rest.type === 'enumeration' ? { ...rest, options: options.map((value) => ({ value })) } : rest,
  );

const template: fc.Arbitrary<TemplateDeclaration> = fc.record({
  id: fc.stringMatching(/^[1-9][0-9]{0,9}$/),
  name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 -]{0,19}$/),
  objectType: fc.constantFrom('contacts', 'CONTACT', 'companies', 'deals', 'tickets'),
  tokens: fc.uniqueArray(token, { selector: (t) => t.name, maxLength: 8 }),
});

const templates = fc.uniqueArray(template, { selector: (t) => t.id, minLength: 1, maxLength: 5 });

/** A value of the token's type, in any form an app may record it in. */
function valueFor(declared: TemplateTokenDeclaration): fc.Arbitrary<TokenValue> {
  switch (declared.type) {
    case 'number':
      return fc.oneof(
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.stringMatching(/^-?[0-9]{1,6}(\.[0-9]{1,4})?$/),
      );
    case 'date':
      return fc.oneof(
        fc.date({ noInvalidDate: true }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }).map(String),
      );
    case 'enumeration':
      return fc.constantFrom(...(declared.options ?? []).map((option) => option.value));
    default:
      return fc.string({ maxLength: 40 });
  }
}

/** An event that fits `declared`: required tokens always, others perhaps, and the record its object type needs. */
function eventFor(declared: TemplateDeclaration): fc.Arbitrary<TimelineEventInput> {
  const tokenArbitraries: Record<string, fc.Arbitrary<TokenValue>> = {};
  const requiredKeys: string[] = [];
  for (const declaredToken of declared.tokens ?? []) {
    tokenArbitraries[declaredToken.name] = valueFor(declaredToken);
    if (declaredToken.required) requiredKeys.push(declaredToken.name);
  }
  const target = isContactObjectType(declared.objectType)
    ? fc.oneof(
        fc.record({ objectId: fc.integer({ min: 1 }) }),
        fc.record({ email: fc.constant('ana@example.com') }),
        fc.record({ utk: fc.stringMatching(/^[0-9a-f]{32}$/), domain: fc.constant('example.com') }),
      )
    : fc.record({ objectId: fc.integer({ min: 1 }) });
  return fc
    .tuple(fc.record(tokenArbitraries, { requiredKeys }), target)
    .map(([tokens, identifiers]) => ({ eventTemplateId: declared.id, tokens, ...identifiers }));
}

/** A catalog and an event generated to fit one of its templates. */
const catalogAndFittingEvent = templates.chain((list) =>
  fc
    .integer({ min: 0, max: list.length - 1 })
    .chain((index) => eventFor(list[index]!))
    .map((input) => ({ list, input })),
);

describe('createTemplateCatalog (property)', () => {
  it('accepts any event generated to fit one of its templates', () => {
    fc.assert(
      fc.property(catalogAndFittingEvent, ({ list, input }) => {
        const event = normalizeEvent(input, { now: NOW, newId: () => 'evt' });
        expect(createTemplateCatalog(list).check(event)).toEqual([]);
      }),
    );
  });

  it('names exactly the one token a template does not declare, whatever else the event holds', () => {
    fc.assert(
      fc.property(catalogAndFittingEvent, tokenName, ({ list, input }, extra) => {
        const declared = list.find((t) => t.id === input.eventTemplateId)!;
        fc.pre(!(declared.tokens ?? []).some((t) => t.name === extra));
        const event = normalizeEvent(
          { ...input, tokens: { ...input.tokens, [extra]: 'x' } },
          { now: NOW, newId: () => 'evt' },
        );
        expect(
          createTemplateCatalog(list)
            .check(event)
            .map((issue) => issue.path),
        ).toEqual([`tokens.${extra}`]);
      }),
    );
  });
});
