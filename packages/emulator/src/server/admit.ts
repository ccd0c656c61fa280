import type { FastifyRequest } from 'fastify';
import { defaultAccountId } from '../accounts/account-registry.js';
import type { AuthRefusal } from '../auth/bearer.js';
import { checkDeveloperKey } from '../auth/developer-key.js';
import { errorBody, rateLimitBody } from '../bodies.js';
import type { ApiRoute } from './api-route.js';
import { json, type Reply } from './reply.js';
import type { RequestState } from './request-log.js';
import type { Runtime } from './runtime.js';

/** A request let through auth and the rate limit, with the account it acts in. */
export interface Admitted {
  /** Let through. */
  readonly ok: true;
  /** The account (portal) of its credential; the default account for the developer routes. */
  readonly account: string;
}

/** HubSpot's error answer for a refused credential. */
function refusalReply(refusal: AuthRefusal): Reply {
  const extras = {
    ...(refusal.context === undefined ? {} : { context: refusal.context }),
    ...(refusal.errors === undefined ? {} : { errors: refusal.errors }),
  };
  return json(refusal.status, errorBody(refusal.category, refusal.message, extras));
}

/** Judges the credential: an account's token for the timeline routes, the developer key for the template routes. */
function authenticate(
  rt: Runtime,
  route: ApiRoute,
  request: FastifyRequest,
  state: RequestState,
  now: number,
): Admitted | Reply {
  if (route.credential === 'developer') {
    const query = request.query as Record<string, string | undefined>;
    const params = request.params as Record<string, string | undefined>;
    const refusal = checkDeveloperKey(rt.developer, query.hapikey, params.appId);
    if (refusal !== undefined) return refusal;
    state.entry.auth = 'developer';
    state.budget = { key: 'developer', settings: rt.accounts.defaults };
    return { ok: true, account: defaultAccountId };
  }
  const auth = rt.tokens.check(request.headers.authorization, now, route.credential);
  if (!auth.ok) return refusalReply(auth);
  state.entry.auth = auth.label;
  const account = rt.accounts.ensure(auth.account);
  state.budget = { key: auth.rateKey ?? account.rateKey, settings: account.settings };
  return { ok: true, account: auth.account };
}

/**
 * Auth, then the rate limit of the credential's account (HubSpot's TEN_SECONDLY_ROLLING and, with a daily cap,
 * DAILY policies): the request is let through, or the reply that refuses it.
 */
export function admit(
  rt: Runtime,
  route: ApiRoute,
  request: FastifyRequest,
  state: RequestState,
): Admitted | Reply {
  const now = rt.clock();
  const admitted = authenticate(rt, route, request, state, now);
  if (!('ok' in admitted)) return admitted;
  const budget = state.budget!;
  const verdict = rt.limiter.take(budget.key, now, budget.settings);
  if (!verdict.allowed) {
    state.rate =
      verdict.dailyRemaining === undefined
        ? { remaining: 0 }
        : { remaining: 0, dailyRemaining: verdict.dailyRemaining };
    return json(429, rateLimitBody(verdict.policy));
  }
  state.rate =
    verdict.dailyRemaining === undefined
      ? { remaining: verdict.remaining }
      : { remaining: verdict.remaining, dailyRemaining: verdict.dailyRemaining };
  return admitted;
}
