import type { FastifyReply, FastifyRequest } from 'fastify';
import { isObject } from '../events/read-event.js';

/** Sends a control route's JSON answer. */
export function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type('application/json;charset=utf-8').send(JSON.stringify(body));
}

/** Wraps a handler so bad input is answered 400 with the message that names the field. */
export function guarded(
  handler: (request: FastifyRequest, reply: FastifyReply) => unknown,
): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
  return async (request, reply) => {
    try {
      return await handler(request, reply);
    } catch (error) {
      return send(reply, 400, { message: error instanceof Error ? error.message : String(error) });
    }
  };
}

/** The JSON object a control request sent (`{}` when it sent nothing). */
export function objectBody(request: FastifyRequest): Record<string, unknown> {
  const raw = request.body;
  if (!(raw instanceof Buffer) || raw.byteLength === 0) return {};
  const body: unknown = JSON.parse(raw.toString('utf8'));
  if (!isObject(body)) throw new TypeError('body: must be a JSON object');
  return body;
}

/** A query parameter as a string, if given. */
export function query(request: FastifyRequest, name: string): string | undefined {
  return (request.query as Record<string, string | undefined>)[name];
}

/** A query parameter as a non-negative integer, if given. */
export function intQuery(request: FastifyRequest, name: string): number | undefined {
  const raw = query(request, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new TypeError(`${name}: must be a non-negative integer`);
  return value;
}

/** A path parameter. */
export function param(request: FastifyRequest, name: string): string {
  return (request.params as Record<string, string | undefined>)[name] ?? '';
}
