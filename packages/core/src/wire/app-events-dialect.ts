import type { TimelineEvent } from '../event/types.js';
import { interpretAnswer } from './interpret-answer.js';
import type { InterpretOptions } from './interpret-options.js';
import type { WireDialect, WireRequest } from './types.js';
import { dropUndefined } from './v3-dialect.js';

/** The 2026-03 app events batch endpoint. */
export const APP_EVENTS_BATCH_PATH = '/integrators/timeline/2026-03/events/batch';

/** Options of {@link createAppEventsDialect}. */
export interface AppEventsDialectOptions extends InterpretOptions {
  /**
   * The app event type name for a v3 template id: a map, or a function. Templates not in the map keep their
   * id as the name.
   * @default the event's `eventTemplateId`
   */
  readonly eventTypeName?: Readonly<Record<string, string>> | ((eventTemplateId: string) => string);
  /**
   * The fully qualified object type (e.g. `p12345_machine`) for events on custom objects: a fixed value or a
   * function of the event.
   * @default the event's `customObjectTypeId`, when present
   */
  readonly objectTypeFullyQualifiedName?: string | ((event: TimelineEvent) => string | undefined);
}

/**
 * HubSpot's `2026-03` app events API, successor of v3: `POST /integrators/timeline/2026-03/events/batch` with
 * `AppEventOccurrence` inputs (`tokens` travel as `properties`, the template as `eventTypeName`).
 * All-or-nothing: 200 all accepted; 400 a validation error somewhere, none accepted; 409 some occurrence
 * already exists, none accepted. So a 400 for a batch isolates every event, and a 409 marks the ids its `context`
 * names as delivered and isolates the rest (every event when it names none); for one event a 400 dead-letters it
 * with the detail messages of `errors[]` (HubSpot's reason, not the batch summary) and a 409 means it is
 * delivered. Its 200 carries a `BatchResponseAppEventOccurrence` (`status`, `results` echoing each occurrence's
 * `id`, optional `errors`), the same evidence as v3's batch response, so it is read by the same rule: an
 * occurrence is delivered when `results` names its id; an id the body does not name is an unknown outcome.
 * There is no read-back (no `readBack`): an event in doubt is re-sent, and the 409 answering it is the evidence.
 * Other statuses read as in the v3 dialect.
 *
 * @param options - Name mapping, object type and delay defaults.
 * @returns A pure dialect.
 *
 * @example
 * ```ts
 * const dialect = createAppEventsDialect({ eventTypeName: { '1001234': 'pe12345_visit' } });
 * ```
 */
export function createAppEventsDialect(options: AppEventsDialectOptions = {}): WireDialect {
  const typeName = eventTypeNameOf(options.eventTypeName);
  const objectType = objectTypeOf(options.objectTypeFullyQualifiedName);
  const encode = (events: readonly TimelineEvent[]): WireRequest => ({
    method: 'POST',
    path: APP_EVENTS_BATCH_PATH,
    body: JSON.stringify({
      inputs: events.map((event) =>
        dropUndefined({
          eventTypeName: typeName(event.eventTemplateId),
          id: event.id,
          properties: event.tokens,
          objectId: event.objectId,
          email: event.email,
          utk: event.utk,
          domain: event.domain,
          objectTypeFullyQualifiedName: objectType(event),
          timestamp: event.timestamp,
          extraData: event.extraData,
          timelineIFrame: event.timelineIFrame,
        }),
      ),
    }),
  });
  return {
    name: '2026-03',
    encode,
    interpret: (sent, answer, context) =>
      interpretAnswer(sent, answer, { context, options, allOrNothing: true }),
  };
}

/** The 2026-03 app events dialect with default options (event type name = template id). */
export const appEventsDialect: WireDialect = createAppEventsDialect();

function eventTypeNameOf(option: AppEventsDialectOptions['eventTypeName']): (templateId: string) => string {
  if (typeof option === 'function') return option;
  if (option === undefined) return (templateId) => templateId;
  return (templateId) => (Object.hasOwn(option, templateId) ? option[templateId]! : templateId);
}

function objectTypeOf(
  option: AppEventsDialectOptions['objectTypeFullyQualifiedName'],
): (event: TimelineEvent) => string | undefined {
  if (typeof option === 'function') return option;
  if (option !== undefined) return () => option;
  return (event) => event.customObjectTypeId;
}
