import { type TimelineEventPatch, ValidationError } from '@hubline/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Demo } from '../demo/create-demo.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An outbox refusal that names a field (an amendment HubSpot would refuse too) is the caller's mistake: a 400. */
function refused(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof ValidationError) {
    return reply.code(400).send({ message: error.message, issues: error.issues });
  }
  throw error;
}

/**
 * The dashboard's accounts and dead-letter repair: `GET /api/accounts`, `POST /api/accounts/:id/uninstall`,
 * `POST /api/accounts/:id/throttle {on}`, `POST /api/accounts/:id/discard` and `POST /api/dead/:id/amend {patch}`
 * (the corrected fields of one dead letter, which is then requeued; 400 naming the field when the outbox refuses
 * the correction, 404 when no dead letter has that id).
 *
 * @param app - the dashboard's server
 * @param demo - the demo to show and steer
 */
export function registerAccountRoutes(app: FastifyInstance, demo: Demo): void {
  const accountOf = (request: { params: unknown }): string => (request.params as { id: string }).id;

  app.get('/api/accounts', () => ({ accounts: demo.accounts() }));

  app.post('/api/accounts/:id/uninstall', (request) => ({ revoked: demo.uninstall(accountOf(request)) }));

  app.post('/api/accounts/:id/throttle', (request, reply) => {
    const body = request.body;
    if (!isObject(body) || typeof body.on !== 'boolean') {
      return reply.code(400).send({ message: 'body.on must be a boolean' });
    }
    demo.throttle(accountOf(request), body.on);
    return { throttled: body.on };
  });

  app.post('/api/accounts/:id/discard', (request) => ({
    discarded: demo.discardAccount(accountOf(request)),
  }));

  app.post('/api/dead/:id/amend', (request, reply) => {
    const id = accountOf(request);
    const body = request.body;
    if (!isObject(body) || !isObject(body.patch)) {
      return reply.code(400).send({ message: 'body.patch must be an object of the fields to correct' });
    }
    if (demo.lookup(id)?.status !== 'dead') {
      return reply.code(404).send({ message: `no dead letter with id "${id}" in this outbox` });
    }
    try {
      return { requeued: demo.amend(id, body.patch as TimelineEventPatch) };
    } catch (error) {
      return refused(reply, error);
    }
  });
}
