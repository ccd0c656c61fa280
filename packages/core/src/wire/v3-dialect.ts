import type { TimelineEvent } from '../event/types.js';
import { interpretAnswer } from './interpret-answer.js';
import type { InterpretOptions } from './interpret-options.js';
import { interpretReadBackAnswer, readBackRequest } from './read-back.js';
import type { WireDialect, WireRequest } from './types.js';

/** The v3 batch endpoint this project targets. */
export const V3_BATCH_PATH = '/integrators/timeline/v3/events/batch/create';

/** The older path prefix serving the same operation (HubSpot's SDK switched away from it in 2024). */
export const V3_LEGACY_BATCH_PATH = '/crm/v3/timeline/events/batch/create';

/** Where v3 reads one event back: `GET {V3_EVENTS_PATH}/{eventTemplateId}/{eventId}`. */
export const V3_EVENTS_PATH = '/integrators/timeline/v3/events';

/** The older prefix of the same read-back. */
export const V3_LEGACY_EVENTS_PATH = '/crm/v3/timeline/events';

/** Options of {@link createV3Dialect}. */
export interface V3DialectOptions extends InterpretOptions {
  /**
   * Send to the old `/crm/v3/timeline/events/batch/create` path instead of `/integrators/timeline/v3/…`, and
   * read events back under `/crm/v3/timeline/events/…`.
   * @default false
   */
  readonly legacyPath?: boolean;
}

/**
 * HubSpot's v3 timeline batch API: `POST /integrators/timeline/v3/events/batch/create` with
 * `{"inputs": TimelineEvent[]}`, answering 201, 207 (per-event errors) or an error for the whole batch.
 *
 * An event is delivered only on evidence: its id in the `results` of HubSpot's batch body (status `COMPLETE` or
 * none), an "already exists" verdict for it, or a read-back ({@link WireDialect.readBack}) that finds it. Any
 * other 2xx is an unknown outcome for the events it does not prove; `PENDING` / `PROCESSING` are accepted but
 * unconfirmed, `CANCELED` is re-sent. Choices where HubSpot is silent: a 2xx carrying `errors` is read like a
 * 207; a 413 for a single event dead-letters it as `PAYLOAD_TOO_LARGE` (it cannot be split further), for a batch
 * isolates every event and asks for a byte budget of half the request; an HTML 400 or 404 is a proxy's or a
 * wrong base URL's page, not HubSpot's word: unknown, never a dead letter.
 *
 * @param options - Path and delay defaults.
 * @returns A pure dialect.
 *
 * @example
 * ```ts
 * const dialect = createV3Dialect();
 * const request = dialect.encode(events);          // { method: 'POST', path, body }
 * const { outcomes, signal } = dialect.interpret(events, answer);
 * const check = dialect.readBack?.(events[0]);     // { method: 'GET', path: '/integrators/timeline/v3/events/…' }
 * ```
 */
export function createV3Dialect(options: V3DialectOptions = {}): WireDialect {
  const legacy = options.legacyPath === true;
  const path = legacy ? V3_LEGACY_BATCH_PATH : V3_BATCH_PATH;
  const eventsPath = legacy ? V3_LEGACY_EVENTS_PATH : V3_EVENTS_PATH;
  const encode = (events: readonly TimelineEvent[]): WireRequest => ({
    method: 'POST',
    path,
    body: JSON.stringify({ inputs: events.map(toV3Input) }),
  });
  return {
    name: 'v3',
    encode,
    // A stored normalised event has exactly the v3 TimelineEvent fields (core's normaliser builds nothing else),
    // so its JSON text is already the wire form of one input.
    encodeJson: (jsons) => ({ method: 'POST', path, body: `{"inputs":[${jsons.join(',')}]}` }),
    interpret: (sent, answer, context) => interpretAnswer(sent, answer, { context, options }),
    readBack: (event) => readBackRequest(eventsPath, event),
    interpretReadBack: (id, answer, context) => interpretReadBackAnswer(id, answer, context, options),
  };
}

/** The v3 dialect with default options. */
export const v3Dialect: WireDialect = createV3Dialect();

/** Exactly the fields of HubSpot's `TimelineEvent`, so nothing else a stored object carries leaks out. */
function toV3Input(event: TimelineEvent): Record<string, unknown> {
  return dropUndefined({
    eventTemplateId: event.eventTemplateId,
    id: event.id,
    tokens: event.tokens,
    objectId: event.objectId,
    email: event.email,
    utk: event.utk,
    domain: event.domain,
    customObjectTypeId: event.customObjectTypeId,
    timestamp: event.timestamp,
    extraData: event.extraData,
    timelineIFrame: event.timelineIFrame,
  });
}

/**
 * A copy of `value` without its `undefined` fields.
 *
 * @param value - A flat record.
 */
export function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
