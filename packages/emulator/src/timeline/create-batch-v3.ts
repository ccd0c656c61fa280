import { type AccountEvent, EventStore, toEventResponse } from '../events/event-store.js';
import { judgeEvent } from '../events/judge-event.js';
import { readEvent, type WireEvent } from '../events/read-event.js';
import { type ApiContext, details, type Outcome, readInputs, shapeError } from './api-context.js';
import { conflictMessage, perEventError, wholeConflict } from './conflicts.js';
import { toStored } from './to-stored.js';

/** What judging a batch's events decided, before anything is stored. */
interface Judged {
  readonly results: Record<string, unknown>[];
  readonly errors: Record<string, unknown>[];
  readonly toStore: AccountEvent[];
  readonly dups: WireEvent[];
}

/** Handles an input whose id is already stored (or repeated): per the conflict mode; true when it is also stored. */
function onDuplicate(event: WireEvent, index: number, judged: Judged, ctx: ApiContext): boolean {
  judged.dups.push(event);
  const mode = ctx.limits.conflictMode;
  if (mode === 'silent-dedupe') {
    const existing =
      ctx.store.get(ctx.account, event.eventTemplateId, event.id) ??
      judged.toStore.find((e) => e.id === event.id && e.eventTemplateId === event.eventTemplateId);
    if (existing !== undefined) judged.results.push(toEventResponse(existing));
  } else if (mode === '207-error') {
    const message = conflictMessage(event);
    judged.errors.push(
      perEventError(event, 'CONFLICT', message, [
        { message, code: 'EVENT_ALREADY_EXISTS', in: `inputs[${index}].id` },
      ]),
    );
  }
  // 'last-wins' stores the duplicate like a new event; put() makes it overwrite.
  return mode === 'last-wins';
}

/** Judges every event of a readable batch against the templates, the store and the conflict mode. */
function judgeBatch(events: readonly WireEvent[], ctx: ApiContext): Judged {
  const judged: Judged = { results: [], errors: [], toStore: [], dups: [] };
  const seen = new Set<string>();
  for (let i = 0; i < events.length; i += 1) {
    const event = events[i]!;
    const template = ctx.templates.byId.get(event.eventTemplateId);
    const problems = judgeEvent(event, template, `inputs[${i}]`);
    if (problems.length > 0) {
      judged.errors.push(
        perEventError(event, problems[0]!.category, problems[0]!.message, details(problems)),
      );
      continue;
    }
    const key = EventStore.key(ctx.account, event.eventTemplateId, event.id);
    if ((seen.has(key) || ctx.store.has(key)) && !onDuplicate(event, i, judged, ctx)) continue;
    seen.add(key);
    const stored = toStored(event, template!, ctx, 'v3');
    judged.toStore.push(stored);
    judged.results.push(toEventResponse(stored));
  }
  return judged;
}

/** Reads every input; the first that cannot be built is the whole request's 400. */
function readEvents(inputs: readonly unknown[]): WireEvent[] | Outcome {
  const events: WireEvent[] = [];
  for (let i = 0; i < inputs.length; i += 1) {
    const read = readEvent(inputs[i], `inputs[${i}]`);
    if (!read.ok) return shapeError(read.problem, inputs.length);
    events.push(read.value);
  }
  return events;
}

/** Stores the judged events; in `last-wins` an overwrite is not a creation. Returns how many were created. */
function storeAll(toStore: readonly AccountEvent[], ctx: ApiContext): number {
  if (ctx.limits.conflictMode !== 'last-wins') {
    for (const stored of toStore) ctx.store.add(stored);
    return toStore.length;
  }
  let created = 0;
  for (const stored of toStore) if (ctx.store.put(stored)) created += 1;
  return created;
}

/** `POST …/v3/events/batch/create`: 201 when all stored, 207 with per-event errors, 400 for unreadable requests. */
export function createBatchV3(body: unknown, ctx: ApiContext): Outcome {
  const inputs = readInputs(body, 'BatchInputTimelineEvent', ctx.limits);
  if (!Array.isArray(inputs)) return inputs;
  const events = readEvents(inputs);
  if (!Array.isArray(events)) return events;
  const mode = ctx.limits.conflictMode;
  const { results, errors, toStore, dups } = judgeBatch(events, ctx);
  if (dups.length > 0 && (mode === '409' || mode === '400-in-use'))
    return wholeConflict(mode, dups, events.length);
  const created = storeAll(toStore, ctx);
  const completedAt = new Date(ctx.now).toISOString();
  const base = { status: 'COMPLETE', results, startedAt: ctx.startedAt, completedAt };
  const counts = { stored: created, duplicates: dups.length, inputs: events.length };
  return errors.length === 0
    ? { status: 201, body: base, ...counts }
    : { status: 207, body: { ...base, numErrors: errors.length, errors }, ...counts };
}
