import type { TimelineEvent } from './types.js';

/**
 * The size of an event as it travels and is stored: the UTF-8 bytes of `JSON.stringify(event)`. The outbox
 * uses it for its byte caps and the sync engine for batch byte budgets.
 *
 * @param event - a normalised event.
 * @example
 * ```ts
 * eventByteLength(event) <= NORMALIZE_DEFAULTS.maxEventBytes;
 * ```
 */
export function eventByteLength(event: TimelineEvent): number {
  return utf8ByteLength(JSON.stringify(event));
}

/** Any UTF-16 unit that is not ASCII (without the `u` flag a lone surrogate is matched too). */
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * The number of bytes `text` takes in UTF-8, without allocating (works in every JavaScript runtime, unlike
 * `Buffer.byteLength`). A lone surrogate counts as U+FFFD (3 bytes), as `TextEncoder` would encode it.
 *
 * @param text - any string.
 */
export function utf8ByteLength(text: string): number {
  // Events are nearly always ASCII: one native regex scan then answers without a per-character JS loop.
  const first = text.search(NON_ASCII);
  if (first === -1) return text.length;
  const length = text.length;
  let bytes = length;
  for (let index = first; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) continue;
    if (code < 0x800) {
      bytes += 1;
    } else if (code >= 0xd800 && code <= 0xdbff && index + 1 < length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        // A surrogate pair: two UTF-16 units, four UTF-8 bytes.
        bytes += 2;
        index++;
      } else {
        bytes += 2;
      }
    } else {
      bytes += 2;
    }
  }
  return bytes;
}
