import Fastify, { type FastifyInstance } from 'fastify';
import { registerOAuthRoutes } from '../auth/oauth-routes.js';
import { errorBody } from '../bodies.js';
import { templateRoutes } from '../templates/template-routes.js';
import { timelineRoutes } from '../timeline/timeline-routes.js';
import { registerApiRoutes } from './api-pipeline.js';
import { tooLarge } from './parse-body.js';
import { rateHeaders } from './rate-headers.js';
import { json, sendPlain } from './reply.js';
import type { Runtime } from './runtime.js';

/** Fastify's own cap; the configurable `maxBodyBytes` is checked below it so it can change at run time. */
const hardBodyLimit = 128 * 1024 * 1024;
/** `/__emulator` and everything under it: the control surface, never logged, counted, faulted or limited. */
const controlPath = /^\/__emulator(?:[/?]|$)/;

/** Logs every request but the control routes', attributing it to the account its bearer names. */
function addLogHooks(app: FastifyInstance, rt: Runtime): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (!controlPath.test(request.url)) {
      const who = rt.tokens.identify(request.headers.authorization);
      const state = rt.log.arrive(request.raw, who.account);
      if (who.account !== undefined) {
        const account = rt.accounts.ensure(who.account);
        state.budget = { key: who.rateKey ?? account.rateKey, settings: account.settings };
      }
    }
    done();
  });
  // Logs the status of every answer but the control routes', and puts the account's rate-limit headers on it.
  app.addHook('onSend', (request, reply, payload, done) => {
    const state = rt.log.stateOf(request.raw);
    if (state !== undefined) {
      rt.log.answered(state, reply.statusCode);
      for (const [name, value] of Object.entries(rateHeaders(rt, state))) reply.header(name, value);
    }
    done(null, payload);
  });
}

/** The API app: HubSpot's routes (timeline, templates, OAuth), their logging, and HubSpot-shaped errors. */
export function createApp(rt: Runtime): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: hardBodyLimit, forceCloseConnections: true });
  // Every body of every content type is kept raw, as a Buffer: the size cap is judged on all of them (a
  // parser handing over a string would skip it), then auth, rate limit and faults, before any is parsed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  addLogHooks(app, rt);
  registerApiRoutes(app, rt, [...timelineRoutes, ...templateRoutes]);
  registerOAuthRoutes(app, rt);
  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, _request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendPlain(reply, tooLarge(undefined, rt.limits.maxBodyBytes));
    }
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    const category = status < 500 ? 'VALIDATION_ERROR' : 'INTERNAL_ERROR';
    return sendPlain(reply, json(status, errorBody(category, error.message)));
  });
  app.setNotFoundHandler((request, reply) =>
    sendPlain(reply, json(404, errorBody('NOT_FOUND', `No route for ${request.method} ${request.url}`))),
  );
  return app;
}
