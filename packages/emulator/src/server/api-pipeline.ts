import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isObject } from '../events/read-event.js';
import type { FaultPlan, PlanContext } from '../faults/fault-plan.js';
import { planFault } from '../faults/fault-plan.js';
import { outcomeReply } from '../faults/hostile-answers.js';
import { isLoopback } from '../faults/loopback.js';
import type { Outcome } from '../timeline/api-context.js';
import { admit } from './admit.js';
import type { ApiRoute } from './api-route.js';
import { deliver } from './deliver.js';
import { parseBody, tooLarge } from './parse-body.js';
import type { RequestState } from './request-log.js';
import type { Runtime } from './runtime.js';

/** Runs the route's handler on a parsed body, and logs and counts what it did. */
function run(
  rt: Runtime,
  route: ApiRoute,
  request: FastifyRequest,
  state: RequestState,
  account: string,
  body: unknown,
): Outcome {
  const { entry } = state;
  const outcome = route.run(
    body,
    {
      templates: rt.templates.index,
      registry: rt.templates,
      store: rt.store,
      account,
      limits: rt.limits,
      seq: entry.seq,
      now: rt.clock(),
      startedAt: new Date(entry.receivedAt).toISOString(),
    },
    request.params as Readonly<Record<string, string>>,
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

/** Carries out a plan that runs the request (or part of it, or later) once the body is parsed. */
function carryOut(
  rt: Runtime,
  route: ApiRoute,
  request: FastifyRequest,
  reply: FastifyReply,
  state: RequestState,
  account: string,
  body: unknown,
  plan: FaultPlan | undefined,
  planContext: () => PlanContext,
): unknown {
  const go = (input: unknown) => run(rt, route, request, state, account, input);
  if (plan === undefined || plan.when === 'wait')
    return deliver(rt, state, request, reply, outcomeReply(go(body)));
  if (plan.when === 'after') {
    const outcome = go(body);
    return deliver(rt, state, request, reply, plan.reply(outcome, planContext()));
  }
  if (plan.when === 'later') {
    const generation = rt.generation;
    void rt.sleeper.sleep(rt.planner.settings.pendingMs).then(() => {
      if (!rt.sleeper.stopped && rt.generation === generation) go(body);
    });
    return deliver(rt, state, request, reply, plan.reply(planContext()));
  }
  if (plan.when === 'subset') {
    const inputs = inputsOf(body);
    const kept = inputs.filter((_, i) => plan.keep(i, inputs.length));
    const outcome =
      kept.length === 0 ? undefined : go({ ...(body as Record<string, unknown>), inputs: kept });
    return deliver(rt, state, request, reply, plan.reply(outcome, planContext()));
  }
  return deliver(rt, state, request, reply, plan.reply(planContext()));
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
  const delayMs = rt.planner.delayMs();
  if (delayMs > 0) {
    await rt.sleeper.sleep(delayMs);
    if (rt.sleeper.stopped) return deliver(rt, state, request, reply, { type: 'reset' }, false);
  }
  const raw = request.body instanceof Buffer ? request.body : undefined;
  if (raw !== undefined && raw.byteLength > rt.limits.maxBodyBytes) {
    return deliver(rt, state, request, reply, tooLarge(raw.byteLength, rt.limits.maxBodyBytes));
  }
  const admitted = admit(rt, route, request, state);
  if (!('ok' in admitted)) return deliver(rt, state, request, reply, admitted);
  // Drawn only here, so a queued fault is never spent on a request refused by the cap, auth or the limiter.
  const decision = rt.planner.next();
  const fault = decision.fault;
  const plan =
    fault === undefined ? undefined : planFault(fault, route.shape, isLoopback(request.socket.remoteAddress));
  if (plan !== undefined) {
    state.entry.fault = fault;
    // A burst answers as if the window were spent, so its headers say none is left.
    if (fault === 'rate-limit-burst') state.rate = { ...state.rate, remaining: 0 };
    rt.log.count(state.entry, (c) => {
      c.faultsInjected += 1;
    });
  }
  let body: unknown;
  const planContext = (): PlanContext => ({
    shape: route.shape,
    settings: rt.planner.settings,
    html: decision.html,
    seq: state.entry.seq,
    startedAt: new Date(state.entry.receivedAt).toISOString(),
    now: rt.clock(),
    inputs: inputsOf(body),
    isStored: (eventTemplateId, id) => rt.store.get(admitted.account, eventTemplateId, id) !== undefined,
  });
  if (plan?.when === 'instead') return deliver(rt, state, request, reply, plan.reply(planContext()));
  if (plan?.when === 'wait') {
    await rt.sleeper.sleep(rt.planner.settings.slowMs);
    if (rt.sleeper.stopped) return deliver(rt, state, request, reply, { type: 'reset' }, false);
  }
  const parsed = parseBody(raw, request.headers['content-type']);
  if (!parsed.ok) return deliver(rt, state, request, reply, parsed.reply);
  body = parsed.body;
  return carryOut(rt, route, request, reply, state, admitted.account, body, plan, planContext);
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
