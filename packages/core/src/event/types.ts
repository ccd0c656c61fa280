/** Any value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A plain JSON object, as HubSpot's `extraData` must be. */
export type JsonObject = { [key: string]: JsonValue };

/** A token value as an app may give it; normalised to the string HubSpot expects. */
export type TokenValue = string | number | boolean | Date;

/** HubSpot's `TimelineEventIFrame`: all five fields are required when present. */
export interface TimelineIFrame {
  /** The text of the link that opens the iframe. */
  linkLabel: string;
  /** The label of the modal window that shows the iframe. */
  headerLabel: string;
  /** Absolute http(s) URL of the iframe contents. */
  url: string;
  /** Width of the modal window in pixels (positive integer). */
  width: number;
  /** Height of the modal window in pixels (positive integer). */
  height: number;
}

/**
 * A timeline event as an app records it: every field of HubSpot's v3 `TimelineEvent`, with friendlier types.
 * `id` and `timestamp` are optional here; the outbox fixes both at record time and never changes them.
 */
export interface TimelineEventInput {
  /** The event template this event belongs to. */
  eventTemplateId: string | number;
  /** Idempotency key, unique per app and template. Defaults to a monotonic ULID. */
  id?: string;
  /** Template token values. Names: letters, digits, `.`, `-`, `_`. */
  tokens?: Record<string, TokenValue>;
  /** The CRM object the event is about; required unless a contact is named by `email` or `utk`. */
  objectId?: string | number;
  /** Identifies (or creates) a contact. */
  email?: string;
  /** HubSpot user token identifying a contact. */
  utk?: string;
  /** Domain, often paired with `utk`. */
  domain?: string;
  /** Custom object type id, for events on custom objects. */
  customObjectTypeId?: string;
  /**
   * When the event happened: a Date, integer epoch milliseconds, or an RFC 3339 date-time string with seconds
   * and a zone (`2026-11-29T12:00:00Z`, `2026-11-29T13:00:00.5+01:00`). Defaults to the record time.
   */
  timestamp?: Date | string | number;
  /** Free-form JSON data read by the template's markdown: a plain object (HubSpot types it as one). */
  extraData?: JsonObject;
  /** An iframe the timeline entry can open. */
  timelineIFrame?: TimelineIFrame;
  /**
   * The HubSpot account (portal) the event is for: 1 to 64 characters of letters, digits, `.`, `_`, `:` and `-`.
   * Kept by the store beside the event, never sent to HubSpot as part of it; the engine sends each account's
   * events with that account's token. Recording the same id under another account is an `ID_CONFLICT`.
   * @default 'default'
   */
  account?: string;
}

/**
 * A validated, normalised timeline event: exactly HubSpot's v3 `TimelineEvent` wire shape, with `id` and
 * `timestamp` fixed. This is what the outbox stores and what dialects encode.
 */
export interface TimelineEvent {
  /** The event template, as a string (a number given on input is written in digits). */
  eventTemplateId: string;
  /** The idempotency key, fixed at record time and re-sent unchanged on every retry. */
  id: string;
  /** Template token values, each as the string HubSpot expects (`{}` when the input had none). */
  tokens: Record<string, string>;
  /** The CRM object the event is about, in digits. */
  objectId?: string;
  /** The contact's email address, as given. */
  email?: string;
  /** HubSpot user token naming a contact, as given. */
  utk?: string;
  /** Domain, as given; often paired with `utk`. */
  domain?: string;
  /** Custom object type id, for events on custom objects (then `objectId` is present too). */
  customObjectTypeId?: string;
  /** When the event happened: ISO 8601 UTC with milliseconds, e.g. `2026-11-29T12:00:00.000Z`. */
  timestamp: string;
  /** A fresh plain-JSON copy of the input's `extraData`, sharing nothing with it. */
  extraData?: JsonObject;
  /** The iframe, its five fields in wire order. */
  timelineIFrame?: TimelineIFrame;
}

/**
 * What a person may change in a dead letter before requeueing it (`requeue(id, { amend })`): each field given
 * replaces the stored one, `tokens` as a whole object; `null` removes an optional field. The `id` (HubSpot's
 * idempotency key) and the `account` never change. The amended event is validated exactly as `record` validates,
 * templates included.
 */
export interface TimelineEventPatch {
  /** A new event template. */
  eventTemplateId?: string | number;
  /** New token values, replacing every stored token. */
  tokens?: Record<string, TokenValue>;
  /** A new CRM object, or `null` to remove it. */
  objectId?: string | number | null;
  /** A new contact email, or `null` to remove it. */
  email?: string | null;
  /** A new user token, or `null` to remove it. */
  utk?: string | null;
  /** A new domain, or `null` to remove it. */
  domain?: string | null;
  /** A new time of the event (the stored one is kept otherwise). */
  timestamp?: Date | string | number;
  /** New `extraData`, or `null` to remove it. */
  extraData?: JsonObject | null;
  /** A new iframe, or `null` to remove it. */
  timelineIFrame?: TimelineIFrame | null;
}
