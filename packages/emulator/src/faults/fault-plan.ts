import type { RouteShape } from '../server/api-route.js';
import type { Reply } from '../server/reply.js';
import type { Outcome } from '../timeline/api-context.js';
import type { ResolvedFaults } from './fault-settings.js';
import type { ApiFaultKind, FaultKind, HostileAnswerKind } from './fault-types.js';
import {
  batchStatusBody,
  batchSuccessStatus,
  inputIds,
  outcomeReply,
  type ProoflessKind,
  phantomResult,
  prooflessReply,
  rewriteBatch,
  unattributedError,
  withErrors,
} from './hostile-answers.js';
import type { StreamedBody } from './streamed-bodies.js';
import { refusingFaultReply } from './visible-faults.js';

/** What a fault's plan may look at. */
export interface PlanContext {
  /** The route's answer shape. */
  readonly shape: RouteShape;
  /** The fault settings in force. */
  readonly settings: ResolvedFaults;
  /** For 5xx: HTML instead of JSON. */
  readonly html: boolean;
  /** `seq` of the request (names phantom ids). */
  readonly seq: number;
  /** ISO time of arrival. */
  readonly startedAt: string;
  /** Emulator clock time now. */
  readonly now: number;
  /** The inputs of a batch body, when it has any. */
  readonly inputs: readonly unknown[];
  /** Whether the request's account holds this template and id (after the request ran). */
  readonly isStored: (eventTemplateId: string, id: string) => boolean;
}

/** How the pipeline carries out a fault. */
export type FaultPlan =
  /** Answer this instead of running the request: nothing is stored. */
  | {
      readonly when: 'instead';
      /** Builds the answer sent in place of the request's own. */
      readonly reply: (ctx: PlanContext) => Reply;
    }
  /** Wait `slowMs`, then run the request as usual. */
  | { readonly when: 'wait' }
  /** Run the request, then answer this instead of its real answer. */
  | {
      readonly when: 'after';
      /** Builds the answer from what the request did (`outcome`), which it replaces. */
      readonly reply: (outcome: Outcome, ctx: PlanContext) => Reply;
    }
  /** Answer this now; run the request `pendingMs` later. */
  | {
      readonly when: 'later';
      /** Builds the answer sent at once, before anything is stored. */
      readonly reply: (ctx: PlanContext) => Reply;
    }
  /** Run the request on the kept inputs only (none kept: not at all), then answer this. */
  | {
      readonly when: 'subset';
      /** Whether the input at `index` (0-based, of `count` inputs) is stored; the others are dropped silently. */
      readonly keep: (index: number, count: number) => boolean;
      /** Builds the answer from what the kept inputs did; `outcome` is undefined when none was kept. */
      readonly reply: (outcome: Outcome | undefined, ctx: PlanContext) => Reply;
    };

const prooflessKinds: readonly ProoflessKind[] = [
  'empty-200',
  'html-200',
  'error-json-200',
  'junk-json-200',
  'no-content-204',
  'status-299',
];

function streamReply(kind: 'oversized' | 'dripping', ctx: PlanContext): Reply {
  const s = ctx.settings;
  const prefix = `{"status":"COMPLETE","startedAt":"${ctx.startedAt}","completedAt":"${new Date(ctx.now).toISOString()}","results":[`;
  const stream: StreamedBody =
    kind === 'oversized'
      ? { kind, prefix, bytes: s.oversizedBytes }
      : { kind, prefix, dripBytes: s.dripBytes, intervalMs: s.dripIntervalMs, maxMs: s.dripMs };
  return { type: 'stream', status: 201, stream };
}

/** Keeps the second, fourth, … input: the first, third, … are the ones a fault leaves out. */
const everyOther = (index: number) => index % 2 === 1;

/** A `COMPLETE` batch body with these results. */
function completeBody(results: unknown[], ctx: PlanContext): Record<string, unknown> {
  return batchStatusBody('COMPLETE', ctx.startedAt, ctx.now, results);
}

/** The plans of the batch-only hostile answers. */
function batchPlan(kind: HostileAnswerKind, shape: RouteShape): FaultPlan | undefined {
  const pending = (status: 'PENDING' | 'PROCESSING') => (ctx: PlanContext) =>
    ({
      type: 'json',
      status: batchSuccessStatus(shape),
      body: batchStatusBody(status, ctx.startedAt, ctx.now),
    }) as const;
  switch (kind) {
    case 'batch-pending':
    case 'batch-processing': {
      const status = kind === 'batch-pending' ? 'PENDING' : 'PROCESSING';
      return {
        when: 'after',
        reply: (o) => rewriteBatch(o, (body) => ({ body: { ...body, status, results: [] } })),
      };
    }
    case 'batch-pending-delayed':
      return { when: 'later', reply: pending('PENDING') };
    case 'batch-processing-delayed':
      return { when: 'later', reply: pending('PROCESSING') };
    case 'batch-canceled':
      return {
        when: 'instead',
        reply: (ctx) => ({
          type: 'json',
          status: batchSuccessStatus(shape),
          body: batchStatusBody('CANCELED', ctx.startedAt, ctx.now),
        }),
      };
    case 'results-missing':
      return {
        when: 'after',
        reply: (o) =>
          rewriteBatch(o, (body, results) => ({
            body: { ...body, results: results.filter((_, i) => everyOther(i)) },
          })),
      };
    case 'results-unsent-ids':
      return {
        when: 'subset',
        keep: everyOther,
        reply: (outcome, ctx) => {
          const phantoms = ctx.inputs.flatMap((input, i) =>
            everyOther(i) ? [] : [phantomResult(shape, input, ctx.seq, i)],
          );
          if (outcome === undefined) {
            return { type: 'json', status: batchSuccessStatus(shape), body: completeBody(phantoms, ctx) };
          }
          return rewriteBatch(outcome, (body, results) => ({
            body: { ...body, results: [...results, ...phantoms] },
          }));
        },
      };
    default:
      return shape === 'batch-v3' ? unattributedPlan(kind) : undefined;
  }
}

/** The plans of the 207s whose errors name no event (v3 batch only). */
function unattributedPlan(kind: HostileAnswerKind): FaultPlan | undefined {
  if (kind === 'unattributed-invalid') {
    return {
      when: 'subset',
      keep: (i, n) => i < n - 1,
      reply: (outcome, ctx) => {
        const error = unattributedError('VALIDATION_ERROR');
        if (outcome === undefined) return { type: 'json', ...withErrors(completeBody([], ctx), [], [error]) };
        return rewriteBatch(outcome, (body, results) => withErrors(body, results, [error]));
      },
    };
  }
  if (kind !== 'unattributed-exists') return undefined;
  return {
    when: 'after',
    reply: (outcome, ctx) => {
      const last = inputIds(ctx.inputs[ctx.inputs.length - 1]);
      // Only an event that is stored may be said to exist: the evidence a client trusts stays true.
      if (!ctx.isStored(last.eventTemplateId, last.id)) return outcomeReply(outcome);
      const names = (value: unknown) => {
        const r = value as { id?: unknown; eventTemplateId?: unknown; context?: { id?: unknown[] } };
        return r.id === last.id || (Array.isArray(r.context?.id) && r.context.id[0] === last.id);
      };
      return rewriteBatch(outcome, (body, results) => {
        const errors = Array.isArray(body.errors) ? body.errors.filter((e) => !names(e)) : [];
        const { errors: _e, numErrors: _n, ...rest } = body;
        const base = errors.length === 0 ? rest : { ...rest, errors };
        return withErrors(
          base,
          results.filter((r) => !names(r)),
          [unattributedError('CONFLICT')],
        );
      });
    },
  };
}

/** The plan of a hostile 2xx or a streamed body: the bare kind stores nothing, `-stored` runs the request first. */
function answerPlan(
  base: ProoflessKind | 'oversized-body' | 'dripping-body',
  stored: boolean,
  loopback: boolean,
): FaultPlan | undefined {
  let reply: (ctx: PlanContext) => Reply;
  if (base === 'oversized-body' || base === 'dripping-body') {
    if (!loopback) return undefined;
    const kind = base === 'oversized-body' ? 'oversized' : 'dripping';
    reply = (ctx) => streamReply(kind, ctx);
  } else {
    reply = () => prooflessReply(base);
  }
  return stored ? { when: 'after', reply: (_outcome, ctx) => reply(ctx) } : { when: 'instead', reply };
}

const batchOnly = /^(batch|results|unattributed)-/;

/**
 * How to carry out `fault` on a route of this shape, or undefined when it does not apply there (a batch-only
 * answer on another route; a streamed body for a client that is not on loopback): the request then goes through
 * untouched.
 */
export function planFault(fault: ApiFaultKind, shape: RouteShape, loopback: boolean): FaultPlan | undefined {
  if (fault === 'slow') return { when: 'wait' };
  if (fault === 'reset-after-store') return { when: 'after', reply: () => ({ type: 'reset' }) };
  const stored = fault.endsWith('-stored');
  const base = (stored ? fault.slice(0, -'-stored'.length) : fault) as ApiFaultKind;
  if (
    (prooflessKinds as readonly string[]).includes(base) ||
    base === 'oversized-body' ||
    base === 'dripping-body'
  ) {
    return answerPlan(base as ProoflessKind | 'oversized-body' | 'dripping-body', stored, loopback);
  }
  if (batchOnly.test(base))
    return shape === 'other' ? undefined : batchPlan(base as HostileAnswerKind, shape);
  const visible = base as FaultKind;
  return {
    when: 'instead',
    reply: (ctx) => refusingFaultReply(visible, ctx.html, ctx.settings) ?? { type: 'reset' },
  };
}
