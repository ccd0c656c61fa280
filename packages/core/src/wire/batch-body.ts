import { isJsonObject, parseJsonSafely, stringField, textExcerpt } from './hubspot-error-body.js';

/** The values of a batch response's `status`, as HubSpot's specs list them. */
export type BatchStatus = 'COMPLETE' | 'PENDING' | 'PROCESSING' | 'CANCELED';

const BATCH_STATUSES: ReadonlySet<string> = new Set<BatchStatus>([
  'COMPLETE',
  'PENDING',
  'PROCESSING',
  'CANCELED',
]);

/** What a 2xx body says, when it is HubSpot's batch response. */
export interface BatchBody {
  /** `status`; absent when the body has none (older answers). */
  readonly status: BatchStatus | undefined;
  /** The sent ids that `results` names (an item whose `id` is a string equal to one sent). */
  readonly resultIds: ReadonlySet<string>;
  /** The objects of `errors`, in order; other items are left out. */
  readonly errors: readonly Record<string, unknown>[];
}

/** A 2xx body read as HubSpot's batch response, or why it is not one. */
export type BatchReading =
  | {
      readonly kind: 'batch';
      /** What the body says. */
      readonly body: BatchBody;
    }
  | {
      readonly kind: 'not-batch';
      /** Why, for the history: "an empty body", "a body that is not JSON: <excerpt>", … */
      readonly why: string;
    };

/**
 * Read a 2xx body as HubSpot's batch response (`BatchResponseTimelineEventResponse[WithErrors]`, or 2026-03's
 * `BatchResponseAppEventOccurrence`): a JSON object with a `results` array — or, with a `status` from the spec's
 * enum, an `errors` array — and a `status` that is absent or from that enum. Anything else (an empty body, a
 * captive portal's HTML, junk, an error object such as `{"status":"error",…}`) proves nothing about the events.
 * One `JSON.parse`, then one pass over `results` with a `Set` lookup per item.
 *
 * @param text - The raw body.
 * @param sentIds - The ids sent.
 */
export function readBatchBody(text: string, sentIds: ReadonlySet<string>): BatchReading {
  const parsed = parseJsonSafely(text);
  if (parsed === undefined) return { kind: 'not-batch', why: whyNotJson(text) };
  if (!isJsonObject(parsed)) return { kind: 'not-batch', why: 'JSON that is not an object' };
  const read = readStatus(parsed.status);
  if ('why' in read) return { kind: 'not-batch', why: read.why };
  const { status } = read;
  const results = parsed.results;
  const errors = parsed.errors;
  if (!Array.isArray(results) && !(status !== undefined && Array.isArray(errors))) {
    return { kind: 'not-batch', why: 'JSON without a results array' };
  }
  return {
    kind: 'batch',
    body: {
      status,
      resultIds: namedResultIds(results, sentIds),
      errors: Array.isArray(errors) ? errors.filter(isJsonObject) : [],
    },
  };
}

/** Why a body that does not parse proves nothing: empty, or an excerpt of what it holds. */
function whyNotJson(text: string): string {
  const excerpt = textExcerpt(text);
  return excerpt === '' ? 'an empty body' : `a body that is not JSON: ${excerpt}`;
}

/** A body's `status` read as a batch status: absent is fine; anything else outside the enum is the reason why not. */
function readStatus(raw: unknown): { readonly status: BatchStatus | undefined } | { readonly why: string } {
  if (raw === undefined) return { status: undefined };
  if (isBatchStatus(raw)) return { status: raw };
  const shown = typeof raw === 'string' ? raw.slice(0, 40) : typeof raw;
  return { why: `JSON whose status is not a batch status (${shown})` };
}

/** The sent ids that `results` names: items whose `id` is a string equal to one sent. */
function namedResultIds(results: unknown, sentIds: ReadonlySet<string>): Set<string> {
  const ids = new Set<string>();
  if (!Array.isArray(results)) return ids;
  for (const item of results) {
    const id = isJsonObject(item) ? stringField(item.id) : undefined;
    if (id !== undefined && sentIds.has(id)) ids.add(id);
  }
  return ids;
}

function isBatchStatus(value: unknown): value is BatchStatus {
  return typeof value === 'string' && BATCH_STATUSES.has(value);
}
