import type { IncomingMessage } from 'node:http';

/** A request body read as JSON, or the HTTP status that refuses it. */
export type JsonBody =
  | {
      readonly ok: true;
      /** The parsed body. */
      readonly value: unknown;
    }
  | {
      readonly ok: false;
      /** The HTTP status to answer with. */
      readonly status: 400 | 413 | 415;
      /** Why, for the answer's body. */
      readonly message: string;
    };

/**
 * Read a request's body as JSON: `415` unless it says `Content-Type: application/json`, `413` past `maxBytes`
 * (told by `Content-Length` before anything is read, or counted while reading: the rest is read and dropped so
 * that the answer reaches the client), `400` when it is not JSON.
 *
 * @param request - the incoming request
 * @param maxBytes - the cap on the body
 */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
    request.resume();
    return { ok: false, status: 415, message: 'send Content-Type: application/json' };
  }
  const tooLarge = { ok: false, status: 413, message: `the body must be at most ${maxBytes} bytes` } as const;
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) {
    request.resume();
    return tooLarge;
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= maxBytes) chunks.push(chunk);
  }
  if (bytes > maxBytes) return tooLarge;
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, status: 400, message: 'the body is not JSON' };
  }
}
