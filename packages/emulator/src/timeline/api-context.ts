import type { ErrorDetail } from '../bodies.js';
import { errorBody } from '../bodies.js';
import type { EventStore } from '../events/event-store.js';
import type { RuleProblem } from '../events/judge-event.js';
import { isObject, type ShapeProblem } from '../events/read-event.js';
import type { ResolvedLimits } from '../limits/limit-types.js';
import type { TemplateIndex } from '../templates/compile-templates.js';
import type { TemplateRegistry } from '../templates/template-registry.js';

/** What one API call needs to judge a request. */
export interface ApiContext {
  /** The templates events are judged against (the app's, the same for every account). */
  readonly templates: TemplateIndex;
  /** The app's templates, for the developer routes that change them. */
  readonly registry: TemplateRegistry;
  /** Where events are stored. */
  readonly store: EventStore;
  /** The account (portal) the request's credential belongs to; events are stored and read in it. */
  readonly account: string;
  /** The limits in force (batch cap, conflict mode). */
  readonly limits: ResolvedLimits;
  /** `seq` of the request, recorded on the events it stores. */
  readonly seq: number;
  /** Emulator clock time of judgement, epoch milliseconds: `storedAt`, default timestamps, `completedAt`. */
  readonly now: number;
  /** ISO time of arrival. */
  readonly startedAt: string;
}

/** The answer to send, and what the request did. */
export interface Outcome {
  /** The HTTP status. */
  readonly status: number;
  /** The JSON body; absent for an answer without one (204). */
  readonly body?: Record<string, unknown>;
  /** Events this request created, for the request log and counters. */
  readonly stored: number;
  /** Inputs whose id was already stored (or repeated within the request), for the counters. */
  readonly duplicates?: number;
  /** Inputs the body held, for the request log, when it could be read that far. */
  readonly inputs?: number;
}

/** Runs one API route on a parsed body. */
export type ApiRun = (body: unknown, ctx: ApiContext, params: Readonly<Record<string, string>>) => Outcome;

/** A 400 for a request that cannot be read at all. */
export function shapeError(problem: ShapeProblem, inputs?: number): Outcome {
  return {
    status: 400,
    body: errorBody('VALIDATION_ERROR', problem.message, {
      errors: [{ message: problem.message, in: problem.in }],
    }),
    stored: 0,
    ...(inputs === undefined ? {} : { inputs }),
  };
}

/** Reads `{ inputs: [...] }`, enforcing the batch cap. */
export function readInputs(body: unknown, what: string, limits: ResolvedLimits): unknown[] | Outcome {
  if (!isObject(body) || body.inputs == null) {
    return shapeError({
      message: `Invalid input JSON: Cannot build ${what}, some of required attributes are not set [inputs]`,
      in: 'inputs',
    });
  }
  const inputs = body.inputs;
  if (!Array.isArray(inputs))
    return shapeError({ message: 'Invalid input JSON: inputs must be an array', in: 'inputs' });
  if (inputs.length === 0) {
    return shapeError({ message: 'Batch input must contain at least one input.', in: 'inputs' }, 0);
  }
  if (inputs.length > limits.maxBatchSize) {
    const message = `Batch input size ${inputs.length} exceeds the limit of ${limits.maxBatchSize} inputs.`;
    return {
      status: 400,
      body: errorBody('VALIDATION_ERROR', message, {
        context: { maxInputs: [String(limits.maxBatchSize)] },
        errors: [{ message, in: 'inputs', code: 'TOO_MANY_INPUTS' }],
      }),
      stored: 0,
      inputs: inputs.length,
    };
  }
  return inputs;
}

/** The `ErrorDetail`s of rule problems. */
export function details(problems: readonly RuleProblem[]): ErrorDetail[] {
  return problems.map((p) => ({ message: p.message, code: p.code, in: p.in }));
}
