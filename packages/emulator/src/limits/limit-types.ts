/** Request limits: batch and body caps, rate limits, and how re-sent ids are answered. */

/**
 * How a v3 event id already stored for its template (or repeated within one request) is answered. HubSpot's v3
 * docs say only that "the last to be processed will win", so each plausible answer is a mode. The `2026-03` batch
 * always answers 409, as its docs say.
 */
export type ConflictMode =
  /** v3 batch: a per-event error with category CONFLICT in a 207; the other events are stored. */
  | '207-error'
  /** The whole request is answered 409 CONFLICT and nothing in it is stored. */
  | '409'
  /** The whole request is answered 400 "Event ID already in use, please choose a new unique ID" (v1 style); nothing stored. */
  | '400-in-use'
  /** The duplicate is accepted silently and echoed in `results` as if created (the stored event is unchanged). */
  | 'silent-dedupe'
  /**
   * The v3 docs' "the last to be processed will win": the duplicate is accepted (201, echoed in `results`) and
   * overwrites the stored event in its place in storage order. Counted in `duplicateIdsSeen`, not in `eventsStored`.
   */
  | 'last-wins';

/** Request limits; all may be changed at run time with `setLimits()`. */
export interface LimitsOptions {
  /**
   * Most inputs per batch request; more is answered 400 for the whole request.
   * @default 100
   */
  readonly maxBatchSize?: number;
  /**
   * Largest request body in bytes; more is answered 413.
   * @default 1_048_576
   */
  readonly maxBodyBytes?: number;
  /**
   * Requests per access token in a rolling window (HubSpot's TEN_SECONDLY_ROLLING policy).
   * @default 100
   */
  readonly rateLimit?: number;
  /**
   * The rolling window in milliseconds.
   * @default 10_000
   */
  readonly rateWindowMs?: number;
  /** Optional DAILY policy: requests per access token per UTC day. Off when absent; `null` turns it off. */
  readonly dailyLimit?: number | null;
  /**
   * How re-sent ids are answered.
   * @default '207-error'
   */
  readonly conflictMode?: ConflictMode;
}

/** The resolved limits in force. */
export type ResolvedLimits = Readonly<Required<Omit<LimitsOptions, 'dailyLimit'>>> & {
  /** Requests per access token per UTC day; absent when no daily cap applies. */
  readonly dailyLimit?: number;
};
