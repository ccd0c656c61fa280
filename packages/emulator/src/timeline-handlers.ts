import type { ErrorDetail } from './bodies.js';
import { errorBody } from './bodies.js';
import {
  isObject,
  judgeEvent,
  type RuleProblem,
  readEvent,
  type ShapeProblem,
  type WireEvent,
} from './event-rules.js';
import { EventStore, toEventResponse } from './event-store.js';
import type { CompiledTemplate, TemplateIndex } from './templates.js';
import type { EmulatorCounters, ResolvedLimits, StoredEvent } from './types.js';

/** What one API call needs to judge a request. */
export interface ApiContext {
  /** The templates events are judged against. */
  readonly templates: TemplateIndex;
  /** Where events are stored. */
  readonly store: EventStore;
  /** The limits in force (batch cap, conflict mode). */
  readonly limits: ResolvedLimits;
  /** The counters to update (events stored, duplicate ids seen). */
  readonly counters: EmulatorCounters;
  /** `seq` of the request, recorded on the events it stores. */
  readonly seq: number;
  /** Emulator clock time of judgement, epoch milliseconds: `storedAt`, default timestamps, `completedAt`. */
  readonly now: number;
  /** ISO time of arrival. */
  readonly startedAt: string;
}

/** The answer to send. */
export interface Outcome {
  /** The HTTP status. */
  readonly status: number;
  /** The JSON body. */
  readonly body: Record<string, unknown>;
  /** Events this request created, for the request log. */
  readonly stored: number;
  /** Inputs the body held, for the request log, when it could be read that far. */
  readonly inputs?: number;
}

function shapeError(problem: ShapeProblem, inputs?: number): Outcome {
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
function readInputs(body: unknown, what: string, limits: ResolvedLimits): unknown[] | Outcome {
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

function toStored(
  event: WireEvent,
  template: CompiledTemplate,
  ctx: ApiContext,
  api: StoredEvent['api'],
): StoredEvent {
  // The event was freshly built by readEvent and is owned here, so it becomes the stored event in place
  // (copying it was the hottest line of the batch path).
  const stored = event as WireEvent & { -readonly [K in keyof StoredEvent]: StoredEvent[K] };
  stored.eventTemplateId = template.id;
  stored.objectType = template.objectType;
  if (stored.timestamp === undefined) stored.timestamp = new Date(ctx.now).toISOString();
  stored.api = api;
  stored.storedAt = ctx.now;
  stored.requestSeq = ctx.seq;
  return stored;
}

function perEventError(event: WireEvent, category: string, message: string, errors: ErrorDetail[]) {
  return {
    status: 'error',
    category,
    message,
    context: { id: [event.id], eventTemplateId: [event.eventTemplateId] },
    errors,
    links: {},
  };
}

const inUseMessage = 'Event ID already in use, please choose a new unique ID';

function conflictMessage(event: WireEvent): string {
  return `Event ${event.id} already exists for event template ${event.eventTemplateId}; events are immutable.`;
}

/** A whole-request conflict answer (409 or the v1-style 400), naming every id already stored. */
function wholeConflict(mode: '409' | '400-in-use', dups: readonly WireEvent[], inputs: number): Outcome {
  const ids = dups.map((e) => e.id);
  const context = { id: ids, eventTemplateId: [...new Set(dups.map((e) => e.eventTemplateId))] };
  const errors = dups.map((e) => ({
    message: mode === '409' ? conflictMessage(e) : inUseMessage,
    code: 'EVENT_ALREADY_EXISTS',
    context: { id: [e.id], eventTemplateId: [e.eventTemplateId] },
  }));
  return mode === '409'
    ? {
        status: 409,
        body: errorBody('CONFLICT', `${ids.length} event(s) already exist; events are immutable.`, {
          context,
          errors,
        }),
        stored: 0,
        inputs,
      }
    : {
        status: 400,
        body: errorBody('VALIDATION_ERROR', inUseMessage, { context, errors }),
        stored: 0,
        inputs,
      };
}

/** `POST …/v3/events/batch/create`: 201 when all stored, 207 with per-event errors, 400 for unreadable requests. */
export function createBatchV3(body: unknown, ctx: ApiContext): Outcome {
  const inputs = readInputs(body, 'BatchInputTimelineEvent', ctx.limits);
  if (!Array.isArray(inputs)) return inputs;
  const events: WireEvent[] = [];
  for (let i = 0; i < inputs.length; i += 1) {
    const read = readEvent(inputs[i], `inputs[${i}]`);
    if (!read.ok) return shapeError(read.problem, inputs.length);
    events.push(read.value);
  }
  const mode = ctx.limits.conflictMode;
  const results: Record<string, unknown>[] = [];
  const errors: Record<string, unknown>[] = [];
  const toStore: StoredEvent[] = [];
  const dups: WireEvent[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < events.length; i += 1) {
    const event = events[i]!;
    const template = ctx.templates.byId.get(event.eventTemplateId);
    const problems = judgeEvent(event, template, `inputs[${i}]`);
    if (problems.length > 0) {
      errors.push(perEventError(event, problems[0]!.category, problems[0]!.message, details(problems)));
      continue;
    }
    const key = EventStore.key(event.eventTemplateId, event.id);
    if (seen.has(key) || ctx.store.has(key)) {
      ctx.counters.duplicateIdsSeen += 1;
      dups.push(event);
      if (mode === 'silent-dedupe') {
        const existing =
          ctx.store.get(event.eventTemplateId, event.id) ??
          toStore.find((e) => e.id === event.id && e.eventTemplateId === event.eventTemplateId);
        if (existing !== undefined) results.push(toEventResponse(existing));
      } else if (mode === '207-error') {
        errors.push(
          perEventError(event, 'CONFLICT', conflictMessage(event), [
            { message: conflictMessage(event), code: 'EVENT_ALREADY_EXISTS', in: `inputs[${i}].id` },
          ]),
        );
      }
      // 'last-wins' stores the duplicate like a new event; put() below makes it overwrite.
      if (mode !== 'last-wins') continue;
    }
    seen.add(key);
    const stored = toStored(event, template!, ctx, 'v3');
    toStore.push(stored);
    results.push(toEventResponse(stored));
  }
  if (dups.length > 0 && (mode === '409' || mode === '400-in-use'))
    return wholeConflict(mode, dups, events.length);
  let created = toStore.length;
  if (mode === 'last-wins') {
    created = 0;
    for (const stored of toStore) if (ctx.store.put(stored)) created += 1;
  } else {
    for (const stored of toStore) ctx.store.add(stored);
  }
  ctx.counters.eventsStored += created;
  const completedAt = new Date(ctx.now).toISOString();
  const base = { status: 'COMPLETE', results, startedAt: ctx.startedAt, completedAt };
  return errors.length === 0
    ? { status: 201, body: base, stored: created, inputs: events.length }
    : {
        status: 207,
        body: { ...base, numErrors: errors.length, errors },
        stored: created,
        inputs: events.length,
      };
}

function details(problems: readonly RuleProblem[]): ErrorDetail[] {
  return problems.map((p) => ({ message: p.message, code: p.code, in: p.in }));
}

/** `POST …/v3/events`: one event; 201, 400/404 for its problems, conflicts per the conflict mode. */
export function createOneV3(body: unknown, ctx: ApiContext): Outcome {
  const read = readEvent(body, 'event');
  if (!read.ok) return shapeError(read.problem, 1);
  const event = read.value;
  const template = ctx.templates.byId.get(event.eventTemplateId);
  const problems = judgeEvent(event, template, 'event');
  if (problems.length > 0) {
    const first = problems[0]!;
    const status = first.category === 'OBJECT_NOT_FOUND' ? 404 : 400;
    return {
      status,
      body: errorBody(first.category, first.message, {
        errors: details(problems),
        context: { id: [event.id], eventTemplateId: [event.eventTemplateId] },
      }),
      stored: 0,
      inputs: 1,
    };
  }
  const existing = ctx.store.get(event.eventTemplateId, event.id);
  if (existing !== undefined) {
    ctx.counters.duplicateIdsSeen += 1;
    const mode = ctx.limits.conflictMode;
    if (mode === 'silent-dedupe')
      return { status: 201, body: toEventResponse(existing), stored: 0, inputs: 1 };
    if (mode === 'last-wins') {
      const stored = toStored(event, template!, ctx, 'v3');
      ctx.store.put(stored);
      return { status: 201, body: toEventResponse(stored), stored: 0, inputs: 1 };
    }
    return wholeConflict(mode === '400-in-use' ? '400-in-use' : '409', [event], 1);
  }
  const stored = toStored(event, template!, ctx, 'v3');
  ctx.store.add(stored);
  ctx.counters.eventsStored += 1;
  return { status: 201, body: toEventResponse(stored), stored: 1, inputs: 1 };
}

/** `GET …/v3/events/{eventTemplateId}/{eventId}`: 200 with the event, or 404. */
export function getOneV3(templateId: string, eventId: string, ctx: ApiContext): Outcome {
  const event = ctx.store.get(templateId, eventId);
  if (event !== undefined) return { status: 200, body: toEventResponse(event), stored: 0 };
  const message = ctx.templates.byId.has(templateId)
    ? `Event ${eventId} was not found for event template ${templateId}.`
    : `Event template ${templateId} was not found.`;
  return {
    status: 404,
    body: errorBody('OBJECT_NOT_FOUND', message, {
      context: { id: [eventId], eventTemplateId: [templateId] },
    }),
    stored: 0,
  };
}

const occurrenceNames = {
  template: 'eventTypeName',
  tokens: 'properties',
  what: 'AppEventOccurrence',
} as const;

/** `POST /integrators/timeline/2026-03/events/batch`: all or nothing — 400, 409, or 200 with every occurrence stored. */
export function createBatch202603(body: unknown, ctx: ApiContext): Outcome {
  const inputs = readInputs(body, 'BatchInputAppEventOccurrence', ctx.limits);
  if (!Array.isArray(inputs)) return inputs;
  const read: { event: WireEvent; fqn?: string; template: CompiledTemplate | undefined }[] = [];
  const problems: ErrorDetail[] = [];
  for (let i = 0; i < inputs.length; i += 1) {
    const at = `inputs[${i}]`;
    const result = readEvent(inputs[i], at, occurrenceNames);
    if (!result.ok) return shapeError(result.problem, inputs.length);
    const event = result.value;
    const raw = inputs[i] as Record<string, unknown>;
    const fqn =
      typeof raw.objectTypeFullyQualifiedName === 'string' ? raw.objectTypeFullyQualifiedName : undefined;
    const template =
      ctx.templates.byName.get(event.eventTemplateId) ?? ctx.templates.byId.get(event.eventTemplateId);
    for (const p of judgeEvent(event, template, at, 'properties')) {
      problems.push({
        message: p.message,
        code: p.code,
        in: p.in.replace('.eventTemplateId', '.eventTypeName'),
        context: { id: [event.id] },
      });
    }
    read.push(fqn === undefined ? { event, template } : { event, fqn, template });
  }
  if (problems.length > 0) {
    return {
      status: 400,
      body: errorBody(
        'VALIDATION_ERROR',
        `${problems.length} validation error(s); no occurrence was accepted.`,
        {
          errors: problems,
        },
      ),
      stored: 0,
      inputs: inputs.length,
    };
  }
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const { event, template } of read) {
    const key = EventStore.key(template!.id, event.id);
    if (seen.has(key) || ctx.store.has(key)) dups.push(event.id);
    seen.add(key);
  }
  if (dups.length > 0) {
    ctx.counters.duplicateIdsSeen += dups.length;
    return {
      status: 409,
      body: errorBody(
        'CONFLICT',
        `${dups.length} occurrence(s) already exist; occurrences are immutable. None were accepted.`,
        { context: { id: dups } },
      ),
      stored: 0,
      inputs: inputs.length,
    };
  }
  const results: Record<string, unknown>[] = [];
  for (const { event, fqn, template } of read) {
    const typeName = event.eventTemplateId;
    const stored = toStored(event, template!, ctx, '2026-03');
    ctx.store.add(stored);
    const {
      eventTemplateId: _id,
      objectType: _type,
      tokens,
      api: _api,
      storedAt: _at,
      requestSeq: _seq,
      ...rest
    } = stored;
    results.push({
      ...rest,
      eventTypeName: typeName,
      properties: tokens,
      ...(fqn === undefined ? {} : { objectTypeFullyQualifiedName: fqn }),
    });
  }
  ctx.counters.eventsStored += read.length;
  return {
    status: 200,
    body: {
      status: 'COMPLETE',
      results,
      startedAt: ctx.startedAt,
      completedAt: new Date(ctx.now).toISOString(),
    },
    stored: read.length,
    inputs: read.length,
  };
}
