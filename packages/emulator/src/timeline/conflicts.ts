import { type ErrorDetail, errorBody } from '../bodies.js';
import type { WireEvent } from '../events/read-event.js';
import type { Outcome } from './api-context.js';

/** v1's answer to a re-sent id, which the `400-in-use` conflict mode gives. */
const inUseMessage = 'Event ID already in use, please choose a new unique ID';

/** The message of a CONFLICT error for an event whose id is already stored. */
export function conflictMessage(event: WireEvent): string {
  return `Event ${event.id} already exists for event template ${event.eventTemplateId}; events are immutable.`;
}

/** One `StandardError` of a 207, naming the event by id and template in its `context`. */
export function perEventError(
  event: WireEvent,
  category: string,
  message: string,
  errors: ErrorDetail[],
): Record<string, unknown> {
  return {
    status: 'error',
    category,
    message,
    context: { id: [event.id], eventTemplateId: [event.eventTemplateId] },
    errors,
    links: {},
  };
}

/** A whole-request conflict answer (409 or the v1-style 400), naming every id already stored. */
export function wholeConflict(
  mode: '409' | '400-in-use',
  dups: readonly WireEvent[],
  inputs: number,
): Outcome {
  const ids = dups.map((e) => e.id);
  const context = { id: ids, eventTemplateId: [...new Set(dups.map((e) => e.eventTemplateId))] };
  const errors = dups.map((e) => ({
    message: mode === '409' ? conflictMessage(e) : inUseMessage,
    code: 'EVENT_ALREADY_EXISTS',
    context: { id: [e.id], eventTemplateId: [e.eventTemplateId] },
  }));
  const body =
    mode === '409'
      ? errorBody('CONFLICT', `${ids.length} event(s) already exist; events are immutable.`, {
          context,
          errors,
        })
      : errorBody('VALIDATION_ERROR', inUseMessage, { context, errors });
  return { status: mode === '409' ? 409 : 400, body, stored: 0, duplicates: dups.length, inputs };
}
