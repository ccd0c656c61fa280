import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { normalizeEvent } from './normalize-event.js';
import { hasOwnTimestamp, sameEventContent } from './same-event-content.js';
import type { TimelineEventInput } from './types.js';

const newId = () => 'unused';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
  });

  it('gives the same text for the same content written in a different order', () => {
    expect(canonicalJson({ x: { q: 1, p: 2 }, y: null })).toBe(canonicalJson({ y: null, x: { p: 2, q: 1 } }));
  });

  it('keeps an own "__proto__" key', () => {
    expect(canonicalJson(JSON.parse('{"z":1,"__proto__":{"a":1}}'))).toBe('{"__proto__":{"a":1},"z":1}');
  });
});

describe('sameEventContent', () => {
  const input: TimelineEventInput = {
    eventTemplateId: '1001',
    id: 'visit-1',
    email: 'ana@example.com',
    tokens: { page: '/pricing', seconds: 42 },
    extraData: { a: 1, b: { c: 2 } },
  };

  it('treats the same input recorded twice as the same content, whatever the key order', () => {
    const first = normalizeEvent(input, { now: 1_780_000_000_000, newId });
    const reordered = normalizeEvent(
      {
        extraData: { b: { c: 2 }, a: 1 },
        tokens: { seconds: '42', page: '/pricing' },
        email: 'ana@example.com',
        id: 'visit-1',
        eventTemplateId: 1001,
      },
      { now: 1_780_000_000_000, newId },
    );
    expect(sameEventContent(first, reordered)).toBe(true);
  });

  it('sees a changed token as different content', () => {
    const first = normalizeEvent(input, { now: 1_780_000_000_000, newId });
    const changed = normalizeEvent(
      { ...input, tokens: { page: '/pricing', seconds: 43 } },
      { now: 1_780_000_000_000, newId },
    );
    expect(sameEventContent(first, changed)).toBe(false);
    expect(sameEventContent(first, changed, { ignoreTimestamp: true })).toBe(false);
  });

  it('ignores a re-stamped timestamp only when asked, i.e. when the new input had none of its own', () => {
    const first = normalizeEvent(input, { now: 1_780_000_000_000, newId });
    const again = normalizeEvent(input, { now: 1_780_000_005_000, newId });
    expect(sameEventContent(first, again)).toBe(false);
    expect(sameEventContent(first, again, { ignoreTimestamp: !hasOwnTimestamp(input) })).toBe(true);
  });

  it('sees a different own timestamp as different content', () => {
    const first = normalizeEvent(
      { ...input, timestamp: 1_780_000_000_000 },
      { now: 1_780_000_000_000, newId },
    );
    const secondInput = { ...input, timestamp: 1_780_000_000_001 };
    const second = normalizeEvent(secondInput, { now: 1_780_000_000_000, newId });
    expect(sameEventContent(first, second, { ignoreTimestamp: !hasOwnTimestamp(secondInput) })).toBe(false);
  });
});

describe('hasOwnTimestamp', () => {
  it.each([
    [{ timestamp: 0 }, true],
    [{ timestamp: '2026-01-01T00:00:00Z' }, true],
    [{ timestamp: undefined }, false],
    [{}, false],
    [null, false],
    ['x', false],
  ])('says %j → %s', (input, expected) => {
    expect(hasOwnTimestamp(input)).toBe(expected);
  });
});
