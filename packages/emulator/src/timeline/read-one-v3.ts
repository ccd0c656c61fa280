import { errorBody } from '../bodies.js';
import { toEventResponse } from '../events/event-store.js';
import type { ApiContext, Outcome } from './api-context.js';

/**
 * `GET …/v3/events/{eventTemplateId}/{eventId}` (the read-back): 200 with the event as HubSpot echoes it, or
 * HubSpot's JSON 404 (`OBJECT_NOT_FOUND`) naming the event or the unknown template. Reads the account of the
 * request's token only.
 */
export function readOneV3(templateId: string, eventId: string, ctx: ApiContext): Outcome {
  const event = ctx.store.get(ctx.account, templateId, eventId);
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
