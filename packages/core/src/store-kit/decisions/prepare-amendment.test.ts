import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors/validation-error.js';
import { normalizeEvent } from '../../event/normalize-event.js';
import { createTemplateCatalog } from '../../templates/create-template-catalog.js';
import { ACCEPT_EVERY_TEMPLATE } from './accept-every-template.js';
import { prepareAmendment } from './prepare-amendment.js';

const NOW = Date.UTC(2026, 10, 29, 12);
const stored = normalizeEvent(
  { id: 'v1', eventTemplateId: '1001234', email: 'ana@example.com', tokens: { page: '/a' } },
  { now: NOW, newId: () => 'unused' },
);
const templates = createTemplateCatalog([
  { id: '1001234', name: 'visit', objectType: 'contacts', tokens: [{ name: 'page', type: 'string' }] },
]);

function refusal(patch: unknown): ValidationError {
  try {
    prepareAmendment(stored, patch, { now: NOW, maxEventBytes: 65_536, templates });
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a refusal');
}

describe('prepareAmendment', () => {
  it('gives the amended event with its JSON and size', () => {
    const amended = prepareAmendment(
      stored,
      { tokens: { page: '/b' } },
      { now: NOW, maxEventBytes: 65_536, templates: ACCEPT_EVERY_TEMPLATE },
    );
    expect(amended.event.tokens).toEqual({ page: '/b' });
    expect(amended.json).toBe(JSON.stringify(amended.event));
  });

  it('names each problem under amend, templates included', () => {
    expect(refusal({ tokens: { colour: 'red' } }).issues.map((issue) => issue.path)).toEqual([
      'amend.tokens.colour',
    ]);
    expect(refusal({ id: 'x' }).issues.map((issue) => issue.path)).toEqual(['amend.id']);
    expect(refusal({ eventTemplateId: '999' }).message).toMatch(/amend\.eventTemplateId/);
  });

  it('refuses an amended event over the size limit', () => {
    expect(() =>
      prepareAmendment(
        stored,
        { tokens: { page: 'x'.repeat(500) } },
        {
          now: NOW,
          maxEventBytes: 300,
          templates: ACCEPT_EVERY_TEMPLATE,
        },
      ),
    ).toThrow(/300 bytes/);
  });
});
