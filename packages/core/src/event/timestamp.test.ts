import { describe, expect, it } from 'vitest';
import { timestampSchema } from './timestamp.js';

/** The forms the README and TSDoc promise: the RFC 3339 profile of ISO 8601, seconds and zone required. */
describe('timestampSchema: timestamps as text', () => {
  it.each([
    ['2026-11-29T12:00:00Z', '2026-11-29T12:00:00.000Z'],
    ['2026-11-29T12:00:00.5Z', '2026-11-29T12:00:00.500Z'],
    ['2026-11-29T12:00:00.123456789Z', '2026-11-29T12:00:00.123Z'],
    ['2026-11-29T13:00:00+01:00', '2026-11-29T12:00:00.000Z'],
    ['2026-11-29T07:00:00-05:00', '2026-11-29T12:00:00.000Z'],
    ['2026-11-29T12:00:00-00:00', '2026-11-29T12:00:00.000Z'],
    ['2026-11-30T11:59:00+23:59', '2026-11-29T12:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('accepts %s as %s', (text, normalised) => {
    expect(timestampSchema.parse(text)).toBe(normalised);
  });

  it.each([
    ['a date alone', '2026-11-29'],
    ['a time without seconds', '2026-11-29T12:00Z'],
    ['an hour alone', '2026-11-29T12Z'],
    ['a local time without zone', '2026-11-29T12:00:00'],
    ['an offset without colon', '2026-11-29T13:00:00+0100'],
    ['an offset without minutes', '2026-11-29T13:00:00+01'],
    ['an offset of 24 hours', '2026-11-29T12:00:00+24:00'],
    ['a week date', '2026-W48-7T12:00:00Z'],
    ['an ordinal date', '2026-333T12:00:00Z'],
    ['the basic format', '20261129T120000Z'],
    ['a space for T', '2026-11-29 12:00:00Z'],
    ['a lower-case t and z', '2026-11-29t12:00:00z'],
    ['a decimal comma', '2026-11-29T12:00:00,5Z'],
    ['a fraction point without digits', '2026-11-29T12:00:00.Z'],
    ['a leap second', '2026-06-30T23:59:60Z'],
    ['24:00', '2026-11-29T24:00:00Z'],
    ['an expanded year', '+002026-11-29T12:00:00Z'],
    ['a day that does not exist', '2026-02-29T12:00:00Z'],
  ])('refuses %s (%s), naming the accepted form', (_name, text) => {
    const result = timestampSchema.safeParse(text);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/RFC 3339 date-time with seconds and a zone/);
  });
});
