import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StreamedBody } from '../faults/streamed-bodies.js';

/** What the emulator sends for one request, decided before it is sent. */
export type Reply =
  /** A JSON body. */
  | {
      readonly type: 'json';
      /** The HTTP status. */
      readonly status: number;
      /** The body, serialised as JSON. */
      readonly body: Record<string, unknown>;
      /** Headers beside the rate-limit ones (e.g. `Retry-After`); absent when there are none. */
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** A body of another type (HTML, cut-off JSON, …), sent as it is. */
  | {
      readonly type: 'text';
      /** The HTTP status. */
      readonly status: number;
      /** The `Content-Type` header, e.g. `text/html`. */
      readonly contentType: string;
      /** The body, sent byte for byte as UTF-8. */
      readonly text: string;
    }
  /** A status with no body at all. */
  | {
      readonly type: 'empty';
      /** The HTTP status, e.g. 204. */
      readonly status: number;
    }
  /** No answer: the connection is destroyed. */
  | { readonly type: 'reset' }
  /** A body streamed bit by bit (oversized or dripping). */
  | {
      readonly type: 'stream';
      /** The HTTP status, sent before the body starts. */
      readonly status: number;
      /** How the body is written. */
      readonly stream: StreamedBody;
    };

/** A reply Fastify sends itself: JSON, text or empty. */
export type PlainReply = Extract<
  Reply,
  {
    /** The kinds Fastify can send on its own; a reset or a stream needs the raw socket. */
    type: 'json' | 'text' | 'empty';
  }
>;

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
