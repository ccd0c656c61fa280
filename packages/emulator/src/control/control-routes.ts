import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { IssueTokenOptions } from '../auth/auth-types.js';
import type { RunningEmulator } from '../emulator-types.js';
import type { FaultOptions } from '../faults/fault-types.js';
import type { LimitsOptions } from '../limits/limit-types.js';
import { accountControlRoutes, registerAccountControlRoutes } from './account-control-routes.js';
import { guarded, intQuery, objectBody, query, send } from './control-http.js';

/** What the control routes reach into. */
export interface ControlContext {
  /** The emulator the routes inspect and control. */
  readonly emulator: RunningEmulator;
  /** Takes the API offline, keeping `socket` (the control request's own) open until its answer is sent. */
  readonly goOffline: (socket: Socket) => Promise<void>;
  /** A delay that `stop()` cancels. */
  readonly sleep: (ms: number) => Promise<void>;
}

/** Every control route, as `GET /__emulator` lists them. */
export const controlRoutes: Readonly<Record<string, string>> = Object.freeze({
  'GET /__emulator': 'this index',
  'GET /__emulator/health': '{ ok, online, url, controlUrl }',
  'GET /__emulator/events': 'stored events: ?account=&eventTemplateId=&offset=&limit= → { total, events }',
  'GET /__emulator/requests': 'request log, oldest first: ?limit= (last n) → { requests }',
  'GET /__emulator/counters':
    '?account= → { requests, eventsStored, duplicateIdsSeen, rateLimited, faultsInjected, resets, byStatus }',
  'POST /__emulator/reset': 'forget events, log, counters and rate windows; restart the fault PRNG',
  'GET /__emulator/faults': 'fault settings in force',
  'POST /__emulator/faults': 'merge fault settings (FaultOptions JSON) → settings in force',
  'GET /__emulator/limits': 'limits in force',
  'POST /__emulator/limits': 'merge limits (LimitsOptions JSON) → limits in force',
  'GET /__emulator/online': '{ online }',
  'POST /__emulator/online':
    '{ online: boolean, forMs?: number } → { online }; offline refuses API connections',
  'POST /__emulator/tokens': '{ account?, scopes?, ttlMs?, label? } → { accessToken, expiresAt }',
  'GET /__emulator/templates': '{ templates } (the app’s, as the template routes left them)',
  ...accountControlRoutes,
});

/** `POST /__emulator/online`: `{ online, forMs? }`. */
function registerOnline(app: FastifyInstance, ctx: ControlContext): void {
  const emu = ctx.emulator;
  app.get('/__emulator/online', (_request, reply) => send(reply, 200, { online: emu.online }));
  app.post(
    '/__emulator/online',
    guarded(async (request, reply) => {
      const body = objectBody(request);
      if (typeof body.online !== 'boolean') throw new TypeError('online: must be a boolean');
      const forMs = body.forMs;
      if (forMs !== undefined && !(typeof forMs === 'number' && Number.isInteger(forMs) && forMs > 0)) {
        throw new TypeError('forMs: must be a positive integer');
      }
      if (body.online) {
        await emu.setOnline(true);
      } else {
        const socket = request.raw.socket;
        await ctx.goOffline(socket);
        // This request's own connection was kept so it could be answered; close it right after.
        reply.header('connection', 'close');
        reply.raw.once('finish', () => {
          if (!emu.online) socket.destroy();
        });
      }
      if (forMs !== undefined) {
        void ctx.sleep(forMs).then(() => emu.setOnline(!body.online).catch(() => undefined));
      }
      return send(reply, 200, { online: emu.online });
    }),
  );
}

/**
 * Registers the `/__emulator/…` inspection and control routes: what the programmatic API offers, over HTTP,
 * for the demo's dashboard and other processes. They are never faulted, rate limited or logged.
 */
export function registerControlRoutes(app: FastifyInstance, ctx: ControlContext): void {
  const emu = ctx.emulator;
  app.get('/__emulator', (_request, reply) => send(reply, 200, { routes: controlRoutes }));
  app.get('/__emulator/health', (_request, reply) =>
    send(reply, 200, { ok: true, online: emu.online, url: emu.url, controlUrl: emu.controlUrl }),
  );
  app.get(
    '/__emulator/events',
    guarded((request, reply) => {
      const account = query(request, 'account');
      const eventTemplateId = query(request, 'eventTemplateId');
      const offset = intQuery(request, 'offset') ?? 0;
      const limit = intQuery(request, 'limit');
      const events = emu.events({
        ...(account === undefined ? {} : { account }),
        ...(eventTemplateId === undefined ? {} : { eventTemplateId }),
      });
      const page = events.slice(offset, limit === undefined ? undefined : offset + limit);
      return send(reply, 200, { total: events.length, events: page });
    }),
  );
  app.get(
    '/__emulator/requests',
    guarded((request, reply) => {
      const limit = intQuery(request, 'limit');
      const requests = emu.requests();
      return send(reply, 200, {
        requests: limit === undefined ? requests : requests.slice(-limit || requests.length),
      });
    }),
  );
  app.get('/__emulator/counters', (request, reply) =>
    send(reply, 200, emu.counters(query(request, 'account'))),
  );
  app.post('/__emulator/reset', (_request, reply) => {
    emu.reset();
    return send(reply, 200, { ok: true });
  });
  app.get('/__emulator/faults', (_request, reply) => send(reply, 200, emu.faults()));
  app.post(
    '/__emulator/faults',
    guarded((request, reply) => {
      emu.setFaults(objectBody(request) as FaultOptions);
      return send(reply, 200, emu.faults());
    }),
  );
  app.get('/__emulator/limits', (_request, reply) => send(reply, 200, emu.limits()));
  app.post(
    '/__emulator/limits',
    guarded((request, reply) => {
      emu.setLimits(objectBody(request) as LimitsOptions);
      return send(reply, 200, emu.limits());
    }),
  );
  registerOnline(app, ctx);
  app.post(
    '/__emulator/tokens',
    guarded((request, reply) => send(reply, 201, emu.issueToken(objectBody(request) as IssueTokenOptions))),
  );
  app.get('/__emulator/templates', (_request, reply) => send(reply, 200, { templates: emu.templates() }));
  registerAccountControlRoutes(app, emu);
}
