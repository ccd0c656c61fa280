import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../bodies.js';
import { tokenFaultReply } from '../faults/token-faults.js';
import { deliver } from '../server/deliver.js';
import { json, type Reply } from '../server/reply.js';
import type { Runtime } from '../server/runtime.js';
import { tokenGrant } from './oauth-token-grant.js';

/** The OAuth error body the token routes answer (HubSpot's shape: `status` repeats the category). */
function oauthError(status: number, category: string, message: string): Reply {
  return json(status, { status: category, message, correlationId: randomUUID(), category });
}

function notFound(what: string): Reply {
  return json(404, errorBody('NOT_FOUND', `${what} not found`));
}

/** `POST /oauth/v1/token`: a token fault first (drawn from its own stream), then the grant. */
async function token(rt: Runtime, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const state = rt.log.stateOf(request.raw)!;
  const decision = rt.planner.nextToken();
  if (decision.fault !== undefined) {
    state.entry.fault = decision.fault;
    rt.log.count(state.entry, (c) => {
      c.faultsInjected += 1;
    });
    const faulty = tokenFaultReply(decision.fault, decision.html);
    if (faulty !== 'hang') return deliver(rt, state, request, reply, faulty);
    // No answer at all: the connection is held (bounded by hangMs, ended by stop()), then closed.
    await rt.sleeper.sleep(rt.planner.settings.hangMs);
    return deliver(rt, state, request, reply, { type: 'reset' });
  }
  const text = request.body instanceof Buffer ? request.body.toString('utf8') : '';
  const result = tokenGrant(rt.tokens, new URLSearchParams(text), rt.clock());
  const answer = result.ok
    ? json(200, result.body)
    : oauthError(result.status, result.category, result.message);
  return deliver(rt, state, request, reply, answer);
}

/**
 * The OAuth routes: the token endpoint (refresh-token and authorization-code grants, with its own faults), the
 * access- and refresh-token metadata routes (`hub_id` names the account), and refresh-token deletion (which
 * revokes the install, as uninstalling the app does). Never rate limited; their paths are logged without the
 * token.
 */
export function registerOAuthRoutes(app: FastifyInstance, rt: Runtime): void {
  app.post('/oauth/v1/token', (request, reply) => token(rt, request, reply));
  app.get('/oauth/v1/access-tokens/:token', (request, reply) => {
    const state = rt.log.stateOf(request.raw)!;
    const value = (request.params as { token: string }).token;
    const grant = rt.tokens.grant(value);
    const now = rt.clock();
    if (grant === undefined || now >= grant.expiresAt)
      return deliver(rt, state, request, reply, notFound('access token'));
    return deliver(
      rt,
      state,
      request,
      reply,
      json(200, {
        token: value,
        hub_id: Number(grant.account),
        app_id: rt.developer.appId,
        scopes: [...grant.scopes],
        expires_in: Number.isFinite(grant.expiresAt) ? Math.round((grant.expiresAt - now) / 1000) : 1_800,
        user_id: 1,
        token_type: 'access',
      }),
    );
  });
  app.get('/oauth/v1/refresh-tokens/:token', (request, reply) => {
    const state = rt.log.stateOf(request.raw)!;
    const value = (request.params as { token: string }).token;
    const install = rt.tokens.installs.find(value);
    if (install === undefined) return deliver(rt, state, request, reply, notFound('refresh token'));
    return deliver(
      rt,
      state,
      request,
      reply,
      json(200, {
        token: value,
        hub_id: Number(install.account),
        client_id: install.clientId,
        scopes: [...install.scopes],
        user_id: 1,
        token_type: 'refresh',
      }),
    );
  });
  app.delete('/oauth/v1/refresh-tokens/:token', (request, reply) => {
    const state = rt.log.stateOf(request.raw)!;
    const value = (request.params as { token: string }).token;
    const revoked = rt.tokens.installs.revokeRefreshToken(value);
    return deliver(
      rt,
      state,
      request,
      reply,
      revoked ? { type: 'empty', status: 204 } : notFound('refresh token'),
    );
  });
}
