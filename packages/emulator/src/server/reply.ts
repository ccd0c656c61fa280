import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StreamedBody } from '../faults/streamed-bodies.js';

/** What the emulator sends for one request, decided before it is sent. */
export type Reply =
  /** A JSON body. */
  | {
      readonly type: 'json';
      readonly status: number;
      readonly body: Record<string, unknown>;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** A body of another type (HTML, cut-off JSON, …), sent as it is. */
  | {
      readonly type: 'text';
      readonly status: number;
      readonly contentType: string;
      readonly text: string;
    }
  /** A status with no body at all. */
  | { readonly type: 'empty'; readonly status: number }
  /** No answer: the connection is destroyed. */
  | { readonly type: 'reset' }
  /** A body streamed bit by bit (oversized or dripping). */
  | { readonly type: 'stream'; readonly status: number; readonly stream: StreamedBody };

/** A reply Fastify sends itself: JSON, text or empty. */
export type PlainReply = Extract<Reply, { type: 'json' | 'text' | 'empty' }>;

/** A JSON reply. */
export type JsonReply = Extract<Reply, { type: 'json' }>;

/** The content type of every JSON answer. */
export const jsonType = 'application/json;charset=utf-8';

/** A JSON reply. */
export function json(
  status: number,
  body: Record<string, unknown>,
  headers?: Readonly<Record<string, string>>,
): JsonReply {
  return headers === undefined ? { type: 'json', status, body } : { type: 'json', status, body, headers };
}

/** Sends a JSON, text or empty reply through Fastify (its `onSend` hook adds the rate-limit headers). */
export function sendPlain(reply: FastifyReply, r: PlainReply): FastifyReply {
  if (r.type === 'json') {
    if (r.headers !== undefined)
      for (const [name, value] of Object.entries(r.headers)) reply.header(name, value);
    return reply.code(r.status).type(jsonType).send(JSON.stringify(r.body));
  }
  if (r.type === 'text') return reply.code(r.status).type(r.contentType).send(r.text);
  return reply.code(r.status).send();
}

/** Destroys the connection without an answer, as a broken network or a crashed proxy would. */
export function destroyConnection(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  request.raw.socket.destroy();
}
