import type { NormalizeEventOptions } from './normalize-event-options.js';

/**
 * Bounds Hubline puts on a timeline event where HubSpot's documentation states none. Each is generous for
 * real use and exists so that one malformed or runaway event is refused at `record` time, on the device,
 * instead of poisoning a batch at HubSpot later.
 */
export const EVENT_LIMITS = {
  /** Longest `eventTemplateId`. HubSpot's ids are short numeric strings; 64 leaves ample room. */
  eventTemplateIdLength: 64,
  /**
   * Longest `id`. A ULID is 26 characters, a UUID 36; 128 leaves room for prefixed or composite idempotency
   * keys while keeping the outbox's primary-key index and every request small.
   */
  idLength: 128,
  /** Longest token name. */
  tokenNameLength: 500,
  /** Longest string token value (64 KiB − 1, the classic TEXT column size). */
  tokenValueLength: 65_535,
  /** Longest email address (RFC 5321's path limit). */
  emailLength: 254,
  /** Longest `utk` (HubSpot's are 32 hex characters). */
  utkLength: 256,
  /** Longest `domain` (DNS's limit). */
  domainLength: 253,
  /** Longest `customObjectTypeId` (e.g. `2-3456789`). */
  customObjectTypeIdLength: 64,
  /** Longest iframe `linkLabel` / `headerLabel`. */
  iframeLabelLength: 1_000,
  /** Longest iframe `url`. */
  iframeUrlLength: 2_048,
  /** Largest iframe width or height: HubSpot types them as int32. */
  iframeSizeMax: 2_147_483_647,
  /** Deepest nesting of arrays and objects inside `extraData` (the top-level object is depth 1). */
  extraDataDepth: 32,
  /** Earliest accepted `timestamp`: 2000-01-01T00:00:00.000Z. Catches epoch *seconds* passed as milliseconds. */
  timestampMin: 946_684_800_000,
  /** Latest accepted `timestamp`: 2100-01-01T00:00:00.000Z. Catches microseconds passed as milliseconds. */
  timestampMax: 4_102_444_800_000,
} as const;

/** The defaults of {@link NormalizeEventOptions}, each under the option's own name. */
export const NORMALIZE_DEFAULTS = {
  /** Maximum size of one normalised event, in UTF-8 bytes of its JSON (64 KiB). */
  maxEventBytes: 65_536,
} as const;
