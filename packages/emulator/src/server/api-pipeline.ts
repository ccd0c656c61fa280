import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isObject } from '../events/read-event.js';
import { type FaultPlan, type PlanContext, planFault } from '../faults/fault-plan.js';
import { outcomeReply } from '../faults/hostile-answers.js';
import { isLoopback } from '../faults/loopback.js';
import type { Outcome } from '../timeline/api-context.js';
import { admit } from './admit.js';
import type { ApiRoute } from './api-route.js';
import { deliver } from './deliver.js';
import { parseBody, tooLarge } from './parse-body.js';
import type { Reply } from './reply.js';
import type { RequestState } from './request-log.js';
import type { Runtime } from './runtime.js';

/** One API request on its way through the pipeline. */
interface Exchange {
  readonly rt: Runtime;
  readonly route: ApiRoute;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly state: RequestState;
  /** The account of its credential, once admitted. */
  account: string;
  /** For a 5xx fault: HTML instead of JSON. */
  html: boolean;
  /** The parsed body, once parsed. */
  body: unknown;
}

function send(x: Exchange, r: Reply, countReset = true): FastifyReply | undefined {
  return deliver(x.rt, x.state, x.request, x.reply, r, countReset);
}

/** Runs the route's handler on a body, and logs and counts what it did. */
function run(x: Exchange, body: unknown): Outcome {
  const { rt, state } = x;
  const { entry } = state;
  const outcome = x.route.run(
    body,
    {
      templates: rt.templates.index,
      registry: rt.templates,
      store: rt.store,
      account: x.account,
      limits: rt.limits,
      seq: entry.seq,
      now: rt.clock(),
      startedAt: new Date(entry.receivedAt).toISOString(),
    },
    x.request.params as Readonly<Record<string, string>>,
  );
  if (outcome.inputs !== undefined) entry.inputs = outcome.inputs;
  entry.stored = (entry.stored ?? 0) + outcome.stored;
  rt.log.count(entry, (c) => {
    c.eventsStored += outcome.stored;
    c.duplicateIdsSeen += outcome.duplicates ?? 0;
  });
  return outcome;
}

/** The inputs of a batch body, when it has an array of them. */
function inputsOf(body: unknown): readonly unknown[] {
  return isObject(body) && Array.isArray(body.inputs) ? body.inputs : [];
}

function planContext(x: Exchange): PlanContext {
  const { rt, state } = x;
  return {
    shape: x.route.shape,
    settings: rt.planner.settings,
    html: x.html,
    seq: state.entry.seq,
    startedAt: new Date(state.entry.receivedAt).toISOString(),
    now: rt.clock(),
    inputs: inputsOf(x.body),
    isStored: (eventTemplateId, id) => rt.store.get(x.account, eventTemplateId, id) !== undefined,
  };
}

/**
 * Draws the request's fault (only here, so a queued fault is never spent on a request refused by the cap, auth
 * or the limiter) and plans it; a fault that does not apply to the route is no fault.
 */
function drawFault(x: Exchange): FaultPlan | undefined {
  const { rt, state } = x;
  const decision = rt.planner.next();
  x.html = decision.html;
  const fault = decision.fault;
  const plan =
    fault === undefined
      ? undefined
      : planFault(fault, x.route.shape, isLoopback(x.request.socket.remoteAddress));
  if (plan === undefined) return undefined;
  state.entry.fault = fault;
  // A burst answers as if the window were spent, so its headers say none is left.
  if (fault === 'rate-limit-burst') state.rate = { ...state.rate, remaining: 0 };
  rt.log.count(state.entry, (c) => {
    c.faultsInjected += 1;
  });
  return plan;
}

/** Carries out a plan that runs the request (all of it, part of it, or later) once the body is parsed. */
function carryOut(x: Exchange, plan: FaultPlan | undefined): unknown {
  if (plan === undefined || plan.when === 'wait') return send(x, outcomeReply(run(x, x.body)));
  switch (plan.when) {
    case 'after': {
      const outcome = run(x, x.body);
      return send(x, plan.reply(outcome, planContext(x)));
    }
    case 'later': {
      const { rt } = x;
      const generation = rt.generation;
      void rt.sleeper.sleep(rt.planner.settings.pendingMs).then(() => {
        if (!rt.sleeper.stopped && rt.generation === generation) run(x, x.body);
      });
      return send(x, plan.reply(planContext(x)));
    }
    case 'subset': {
      const inputs = inputsOf(x.body);
      const kept = inputs.filter((_, i) => plan.keep(i, inputs.length));
      const outcome =
        kept.length === 0 ? undefined : run(x, { ...(x.body as Record<string, unknown>), inputs: kept });
      return send(x, plan.reply(outcome, planContext(x)));
    }
    default:
      return send(x, plan.reply(planContext(x)));
  }
}

/**
 * One API request, in HubSpot's order as far as it is known: latency → body cap (413) → credential (401/403/404)
 * → the account's rate limit (429) → the fault draw → content type (415) → JSON (400) → the route's own
 * judgement. A fault's plan decides whether the request runs at all, in part, later, or before a hostile answer.
 */
async function handleApi(
  rt: Runtime,
  route: ApiRoute,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  const state = rt.log.stateOf(request.raw)!;
  const x: Exchange = { rt, route, request, reply, state, account: '', html: false, body: undefined };
  const delayMs = rt.planner.delayMs();
  if (delayMs > 0) {
    await rt.sleeper.sleep(delayMs);
    if (rt.sleeper.stopped) return send(x, { type: 'reset' }, false);
  }
  const raw = request.body instanceof Buffer ? request.body : undefined;
  if (raw !== undefined && raw.byteLength > rt.limits.maxBodyBytes) {
    return send(x, tooLarge(raw.byteLength, rt.limits.maxBodyBytes));
  }
  const admitted = admit(rt, route, request, state);
  if (!('ok' in admitted)) return send(x, admitted);
  x.account = admitted.account;
  const plan = drawFault(x);
  if (plan?.when === 'instead') return send(x, plan.reply(planContext(x)));
  if (plan?.when === 'wait') {
    await rt.sleeper.sleep(rt.planner.settings.slowMs);
    if (rt.sleeper.stopped) return send(x, { type: 'reset' }, false);
  }
  const parsed = parseBody(raw, request.headers['content-type']);
  if (!parsed.ok) return send(x, parsed.reply);
  x.body = parsed.body;
  return carryOut(x, plan);
}

/** Registers API routes on the app; each request goes through {@link handleApi}. */
export function registerApiRoutes(app: FastifyInstance, rt: Runtime, routes: readonly ApiRoute[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path,
      handler: (request, reply) => handleApi(rt, route, request, reply),
    });
  }
}
