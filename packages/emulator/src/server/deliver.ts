import type { FastifyReply, FastifyRequest } from 'fastify';
import { writeDripping, writeOversized } from '../faults/streamed-bodies.js';
import { rateHeaders } from './rate-headers.js';
import { destroyConnection, jsonType, type Reply, sendPlain } from './reply.js';
import type { RequestState } from './request-log.js';
import type { Runtime } from './runtime.js';

/** Streams an oversized or dripping body (hijacking the reply, so the headers are written here). */
function stream(
  rt: Runtime,
  state: RequestState,
  reply: FastifyReply,
  r: Extract<Reply, { type: 'stream' }>,
): void {
  reply.hijack();
  const res = reply.raw;
  // A client that goes away mid-body makes writes fail; that is the point of the fault, not an error.
  res.on('error', () => undefined);
  res.writeHead(r.status, { 'content-type': jsonType, ...rateHeaders(rt, state) });
  rt.log.answered(state, r.status);
  const body = r.stream;
  const written =
    body.kind === 'oversized'
      ? writeOversized(res, body.prefix, body.bytes)
      : writeDripping(
          res,
          body,
          (ms) => rt.sleeper.sleep(ms),
          () => rt.sleeper.stopped,
        );
  void written.then(
    () => rt.log.ended(state),
    () => rt.log.ended(state),
  );
}

/**
 * Sends a reply: JSON, text or empty through Fastify (whose `onSend` hook logs it and adds the rate-limit
 * headers), a streamed body by hand, or no answer at all (a reset, counted as one unless the emulator is
 * stopping).
 */
export function deliver(
  rt: Runtime,
  state: RequestState,
  request: FastifyRequest,
  reply: FastifyReply,
  r: Reply,
  countReset = true,
): FastifyReply | undefined {
  switch (r.type) {
    case 'reset':
      rt.log.ended(state);
      if (countReset) {
        rt.log.count(state.entry, (c) => {
          c.resets += 1;
        });
      }
      destroyConnection(request, reply);
      return undefined;
    case 'stream':
      stream(rt, state, reply, r);
      return undefined;
    default:
      return sendPlain(reply, r);
  }
}
