import { declaredOverCap } from './transport-support.js';

/** A fetch answer's body: its text, or how it passed the cap. */
export type CappedBody =
  | {
      readonly kind: 'text';
      /** The body decoded as UTF-8, as `Response.text()` would; empty for a response without a body. */
      readonly text: string;
      /** Its length in bytes, as received (before decoding). */
      readonly bytes: number;
    }
  /** The body passed the cap. */
  | {
      readonly kind: 'too-large';
      /** The announced `Content-Length`, when that alone passed the cap; absent when the body grew past it. */
      readonly declared?: number;
    };

/** Decodes as `Response.text()` does: UTF-8, a leading byte-order mark dropped, invalid bytes replaced. */
const decoder = new TextDecoder();

/**
 * Reads a fetch `Response` body as text, stopping at `maxBytes`: a `Content-Length` over the cap is refused
 * before reading, and a body that grows past it is cancelled at once (the caller should also abort the request,
 * so the connection is closed rather than drained). Rejects as `Response.text()` would when the stream breaks
 * or the request's signal aborts.
 *
 * @param response - the answer whose body to read.
 * @param maxBytes - the largest body accepted, in bytes.
 */
export async function readCappedBody(response: Response, maxBytes: number): Promise<CappedBody> {
  const declared = declaredOverCap(response.headers.get('content-length'), maxBytes);
  if (declared !== undefined) {
    cancel(response.body);
    return { kind: 'too-large', declared };
  }
  if (response.body === null) return { kind: 'text', text: '', bytes: 0 };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      reader.cancel().catch(() => {});
      return { kind: 'too-large' };
    }
    chunks.push(value);
  }
  return { kind: 'text', text: decoder.decode(Buffer.concat(chunks, bytes)), bytes };
}

function cancel(body: ReadableStream<Uint8Array> | null): void {
  // Not awaited: a cancel waits on the other side of a tee'd stream, and the request is aborted anyway.
  body?.cancel().catch(() => {});
}
