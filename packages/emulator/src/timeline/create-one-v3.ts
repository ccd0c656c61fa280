import { errorBody } from '../bodies.js';
import { toEventResponse } from '../events/event-store.js';
import { judgeEvent } from '../events/judge-event.js';
import { readEvent } from '../events/read-event.js';
import { type ApiContext, details, type Outcome, shapeError } from './api-context.js';
import { wholeConflict } from './conflicts.js';
import { toStored } from './to-stored.js';

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
  const existing = ctx.store.get(ctx.account, event.eventTemplateId, event.id);
  if (existing !== undefined) {
    const mode = ctx.limits.conflictMode;
    if (mode === 'silent-dedupe')
      return { status: 201, body: toEventResponse(existing), stored: 0, duplicates: 1, inputs: 1 };
    if (mode === 'last-wins') {
      const stored = toStored(event, template!, ctx, 'v3');
      ctx.store.put(stored);
      return { status: 201, body: toEventResponse(stored), stored: 0, duplicates: 1, inputs: 1 };
    }
    return wholeConflict(mode === '400-in-use' ? '400-in-use' : '409', [event], 1);
  }
  const stored = toStored(event, template!, ctx, 'v3');
  ctx.store.add(stored);
  return { status: 201, body: toEventResponse(stored), stored: 1, inputs: 1 };
}
