import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventByteLength, utf8ByteLength } from './event-byte-length.js';

describe('utf8ByteLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['\ud800', 3],
    ['a\udc00b', 5],
  ])('counts %j as %i bytes', (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
  });

  it('agrees with TextEncoder for any string', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(utf8ByteLength(text)).toBe(encoder.encode(text).length);
      }),
    );
  });
});

describe('eventByteLength', () => {
  it('is the UTF-8 size of the JSON text', () => {
    const event = {
      eventTemplateId: '1',
      id: 'x',
      tokens: { t: 'naïve €' },
      timestamp: '2026-11-29T12:00:00.000Z',
    };
    expect(eventByteLength(event)).toBe(Buffer.byteLength(JSON.stringify(event)));
  });
});
