import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHublineError } from '../errors/hubline-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { NORMALIZE_DEFAULTS } from './limits.js';
import { normalizeEvent } from './normalize-event.js';
import {
  checkNormalizeEventOptions,
  type NormalizeEventOptions,
  normalizeEventOptionsSchema,
} from './normalize-event-options.js';

const NOW = Date.UTC(2026, 10, 29, 12);
const newId = () => 'generated';
const input = { eventTemplateId: '1', email: 'ana@example.com' };

function refusal(options: unknown): ValidationError {
  try {
    normalizeEvent(input, options as NormalizeEventOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`expected ${String(options)} to be refused`);
}

describe('normalizeEvent options', () => {
  it.each<[string, unknown, string, RegExp]>([
    ['now NaN (Date.parse of garbage)', { now: Number.NaN, newId }, 'now', /integer epoch milliseconds/],
    ['now 0 (a clock that was never set)', { now: 0, newId }, 'now', /between 2000-01-01 and 2100-01-01/],
    ['now in seconds', { now: 1_780_000_000, newId }, 'now', /seconds/],
    ['now Infinity', { now: Number.POSITIVE_INFINITY, newId }, 'now', /epoch milliseconds/],
    ['now fractional', { now: NOW + 0.5, newId }, 'now', /integer/],
    ['now in 2100', { now: Date.UTC(2100, 0, 1), newId }, 'now', /2100-01-01/],
    ['now as a string', { now: '2026-11-29', newId }, 'now', /epoch milliseconds/],
    ['no now', { newId }, 'now', /epoch milliseconds/],
    [
      'maxEventBytes NaN (which disabled the limit)',
      { now: NOW, newId, maxEventBytes: Number.NaN },
      'maxEventBytes',
      /positive integer/,
    ],
    ['maxEventBytes -1', { now: NOW, newId, maxEventBytes: -1 }, 'maxEventBytes', /positive integer/],
    ['maxEventBytes 0', { now: NOW, newId, maxEventBytes: 0 }, 'maxEventBytes', /positive integer/],
    [
      'maxEventBytes fractional',
      { now: NOW, newId, maxEventBytes: 1.5 },
      'maxEventBytes',
      /positive integer/,
    ],
    [
      'maxEventBytes Infinity',
      { now: NOW, newId, maxEventBytes: Number.POSITIVE_INFINITY },
      'maxEventBytes',
      /positive integer/,
    ],
    ['newId missing', { now: NOW }, 'newId', /function/],
    ['newId not a function', { now: NOW, newId: 'x' }, 'newId', /function/],
    ['no options at all', undefined, '', /object/],
  ])('refuses %s, naming the option', (_name, options, path, message) => {
    const error = refusal(options);
    expect(isHublineError(error, 'VALIDATION_FAILED')).toBe(true);
    expect(error.message).toMatch(/^Invalid normalizeEvent options/);
    expect(error.issues).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  it('names every bad option at once', () => {
    const error = refusal({ now: Number.NaN, newId: null, maxEventBytes: -1 });
    expect(error.issues.map((issue) => issue.path)).toEqual(['now', 'newId', 'maxEventBytes']);
  });

  it('refuses a bad option even when the input carries its own timestamp and id', () => {
    const own = { ...input, id: 'own', timestamp: NOW };
    expect(() => normalizeEvent(own, { now: 0, newId })).toThrow(ValidationError);
  });

  it('accepts the edges of the window and the smallest limit', () => {
    expect(normalizeEvent(input, { now: Date.UTC(2000, 0, 1), newId }).timestamp).toBe(
      '2000-01-01T00:00:00.000Z',
    );
    expect(normalizeEvent(input, { now: Date.UTC(2100, 0, 1) - 1, newId }).timestamp).toBe(
      '2099-12-31T23:59:59.999Z',
    );
    expect(() => normalizeEvent(input, { now: NOW, newId, maxEventBytes: 1 })).toThrow(/over the limit of 1/);
  });
});

describe('checkNormalizeEventOptions', () => {
  it('returns the limit to apply', () => {
    expect(checkNormalizeEventOptions({ now: NOW, newId })).toBe(NORMALIZE_DEFAULTS.maxEventBytes);
    expect(checkNormalizeEventOptions({ now: NOW, newId, maxEventBytes: 10 })).toBe(10);
  });

  it('accepts exactly what its schema accepts (its shortcut never admits more)', () => {
    const number = fc.oneof(
      fc.integer({ min: -10, max: 10 }),
      fc.integer({ min: 900_000_000_000, max: 4_200_000_000_000 }),
      fc.double(),
      fc.constantFrom(Date.UTC(2000, 0, 1), Date.UTC(2100, 0, 1), 2 ** 53, Number.NaN),
    );
    const options = fc.record(
      {
        now: fc.oneof(number, fc.anything({ maxDepth: 0 })),
        newId: fc.oneof(fc.constant(newId), fc.anything({ maxDepth: 0 })),
        maxEventBytes: fc.oneof(number, fc.constant(undefined), fc.anything({ maxDepth: 0 })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(options, (candidate) => {
        const accepted = normalizeEventOptionsSchema.safeParse(candidate).success;
        let passed = true;
        try {
          checkNormalizeEventOptions(candidate as NormalizeEventOptions);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          passed = false;
        }
        expect(passed).toBe(accepted);
      }),
      { numRuns: 2000 },
    );
  });
});
