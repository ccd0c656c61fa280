import type { FastifyInstance } from 'fastify';
import type { Demo } from '../demo/create-demo.js';
import { FAULT_PROFILE_NAMES } from '../faults/fault-profiles.js';

/** `?limit=` of a list route, from 1 to `max`; `fallback` when absent or not a number. */
function queryLimit(query: unknown, fallback: number, max: number): number {
  const raw = (query as Record<string, string | undefined>).limit;
  return Math.min(max, Math.max(1, Number(raw ?? fallback) || fallback));
}

/**
 * The dashboard's read-only routes: `GET /api/info`, `/api/snapshot`, `/api/series`, `/api/dead?limit=`,
 * `/api/recent?limit=` and `/api/events/:id` (404 for an id the outbox does not have).
 *
 * @param app - the dashboard's server
 * @param demo - the demo to show
 */
export function registerReadRoutes(app: FastifyInstance, demo: Demo): void {
  app.get('/api/info', () => ({
    target: demo.target,
    emulatorUrl: demo.emulatorUrl ?? null,
    faultProfiles: FAULT_PROFILE_NAMES,
    controls: {
      network: true,
      faults: demo.target === 'emulator',
    },
    note:
      demo.target === 'emulator'
        ? null
        : 'Sending to real HubSpot: fault injection is off, and "go offline" only tells the engine the network is down.',
  }));

  app.get('/api/snapshot', () => demo.snapshot());
  app.get('/api/series', () => ({ points: demo.series() }));

  app.get('/api/dead', (request) => {
    return { dead: demo.listDead(queryLimit(request.query, 100, 500)) };
  });

  app.get('/api/recent', (request) => {
    return { recent: demo.recent(queryLimit(request.query, 10, 50)) };
  });

  app.get('/api/events/:id', (request, reply) => {
    const { id } = request.params as { id: string };
    const found = demo.lookup(id.trim());
    if (found === undefined)
      return reply.code(404).send({ message: `no event with id "${id}" in this outbox` });
    return found;
  });
}
