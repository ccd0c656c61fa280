import { type ErrorDetail, errorBody } from '../bodies.js';
import { EventStore } from '../events/event-store.js';
import { judgeEvent } from '../events/judge-event.js';
import { readEvent, type WireEvent } from '../events/read-event.js';
import type { CompiledTemplate } from '../templates/compile-templates.js';
import { type ApiContext, type Outcome, readInputs, shapeError } from './api-context.js';
import { toStored } from './to-stored.js';

const occurrenceNames = {
  template: 'eventTypeName',
  tokens: 'properties',
  what: 'AppEventOccurrence',
} as const;

interface Occurrence {
  readonly event: WireEvent;
  readonly fqn?: string;
  readonly template: CompiledTemplate | undefined;
}

/** Reads and judges every occurrence; an unreadable one is the whole request's 400. */
function readOccurrences(
  inputs: readonly unknown[],
  ctx: ApiContext,
): Outcome | { read: Occurrence[]; problems: ErrorDetail[] } {
  const read: Occurrence[] = [];
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
  return { read, problems };
}

/** Stores every occurrence and builds its echo. */
function storeOccurrences(read: readonly Occurrence[], ctx: ApiContext): Record<string, unknown>[] {
  const results: Record<string, unknown>[] = [];
  for (const { event, fqn, template } of read) {
    const typeName = event.eventTemplateId;
    const stored = toStored(event, template!, ctx, '2026-03');
    ctx.store.add(stored);
    const {
      account: _account,
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
  return results;
}

/** `POST /integrators/timeline/2026-03/events/batch`: all or nothing — 400, 409, or 200 with every occurrence stored. */
export function createBatch202603(body: unknown, ctx: ApiContext): Outcome {
  const inputs = readInputs(body, 'BatchInputAppEventOccurrence', ctx.limits);
  if (!Array.isArray(inputs)) return inputs;
  const judged = readOccurrences(inputs, ctx);
  if (!('read' in judged)) return judged;
  const { read, problems } = judged;
  if (problems.length > 0) {
    const message = `${problems.length} validation error(s); no occurrence was accepted.`;
    return {
      status: 400,
      body: errorBody('VALIDATION_ERROR', message, { errors: problems }),
      stored: 0,
      inputs: inputs.length,
    };
  }
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const { event, template } of read) {
    const key = EventStore.key(ctx.account, template!.id, event.id);
    if (seen.has(key) || ctx.store.has(key)) dups.push(event.id);
    seen.add(key);
  }
  if (dups.length > 0) {
    const message = `${dups.length} occurrence(s) already exist; occurrences are immutable. None were accepted.`;
    return {
      status: 409,
      body: errorBody('CONFLICT', message, { context: { id: dups } }),
      stored: 0,
      duplicates: dups.length,
      inputs: inputs.length,
    };
  }
  const results = storeOccurrences(read, ctx);
  const completedAt = new Date(ctx.now).toISOString();
  return {
    status: 200,
    body: { status: 'COMPLETE', results, startedAt: ctx.startedAt, completedAt },
    stored: read.length,
    inputs: read.length,
  };
}
