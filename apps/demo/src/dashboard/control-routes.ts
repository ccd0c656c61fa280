import type { FastifyInstance } from 'fastify';
import type { Demo } from '../demo/create-demo.js';
import { FAULT_PROFILE_NAMES, isFaultProfileName } from '../faults/fault-profiles.js';

/** The largest burst one click may record. */
const MAX_BURST = 5000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The dashboard's controls: `POST /api/network {online}` (or `{schedule: true}` to follow the outage schedule
 * again), `POST /api/recording {on}`, `POST /api/faults {profile}` (409 against real HubSpot),
 * `POST /api/burst {count}`, `POST /api/invalid` and `POST /api/requeue {ids | all: true}`. A malformed body is a
 * 400 naming the field.
 *
 * @param app - the dashboard's server
 * @param demo - the demo to steer
 */
export function registerControlRoutes(app: FastifyInstance, demo: Demo): void {
  app.post('/api/network', async (request, reply) => {
    const body = request.body;
    if (isObject(body) && body.schedule === true) {
      await demo.resumeSchedule();
      const snapshot = demo.snapshot();
      return { online: snapshot.online, scheduledDrops: snapshot.scheduledDrops };
    }
    if (!isObject(body) || typeof body.online !== 'boolean') {
      return reply.code(400).send({
        message: 'body.online must be a boolean (or body.schedule: true to follow the schedule again)',
      });
    }
    await demo.setNetwork(body.online);
    return { online: demo.snapshot().online };
  });

  app.post('/api/recording', (request, reply) => {
    const body = request.body;
    if (!isObject(body) || typeof body.on !== 'boolean') {
      return reply.code(400).send({ message: 'body.on must be a boolean' });
    }
    demo.setRecording(body.on);
    return { recording: demo.snapshot().recording };
  });

  app.post('/api/faults', (request, reply) => {
    const body = request.body;
    if (demo.target !== 'emulator') {
      return reply
        .code(409)
        .send({ message: 'fault profiles need the emulator; this demo sends to real HubSpot' });
    }
    if (!isObject(body) || !isFaultProfileName(body.profile)) {
      return reply
        .code(400)
        .send({ message: `body.profile must be one of ${FAULT_PROFILE_NAMES.join(', ')}` });
    }
    demo.setFaultProfile(body.profile);
    return { profile: body.profile };
  });

  app.post('/api/burst', (request, reply) => {
    const body = request.body;
    const count = isObject(body) && body.count !== undefined ? body.count : 200;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1 || count > MAX_BURST) {
      return reply.code(400).send({ message: `body.count must be an integer from 1 to ${MAX_BURST}` });
    }
    return { recorded: demo.burst(count) };
  });

  app.post('/api/invalid', () => ({ id: demo.recordInvalid() }));

  app.post('/api/requeue', (request, reply) => {
    const body = request.body;
    if (isObject(body) && body.all === true) return { requeued: demo.requeue('all-dead') };
    if (!isObject(body) || !Array.isArray(body.ids) || !body.ids.every((id) => typeof id === 'string')) {
      return reply.code(400).send({ message: 'body.ids must be a list of event ids (or body.all: true)' });
    }
    return { requeued: demo.requeue(body.ids as string[]) };
  });
}
