import type { AccountEvent } from '../events/event-store.js';
import type { WireEvent } from '../events/read-event.js';
import type { StoredEvent } from '../events/stored-event.js';
import type { CompiledTemplate } from '../templates/compile-templates.js';
import type { ApiContext } from './api-context.js';

/**
 * Turns an event read off the wire into the event to store. The event was freshly built by `readEvent` and
 * is owned by the caller, so it becomes the stored event in place (copying it was the hottest line of the
 * batch path).
 */
export function toStored(
  event: WireEvent,
  template: CompiledTemplate,
  ctx: ApiContext,
  api: StoredEvent['api'],
): AccountEvent {
  const stored = event as WireEvent & { -readonly [K in keyof AccountEvent]: AccountEvent[K] };
  stored.account = ctx.account;
  stored.eventTemplateId = template.id;
  stored.objectType = template.objectType;
  if (stored.timestamp === undefined) stored.timestamp = new Date(ctx.now).toISOString();
  stored.api = api;
  stored.storedAt = ctx.now;
  stored.requestSeq = ctx.seq;
  return stored;
}
