/**
 * Every error Hubline raises carries one of these stable codes. Match on the code, not on the message.
 *
 * | code | raised when |
 * |---|---|
 * | `VALIDATION_FAILED` | an event or an option was refused; `issues` lists every field and why |
 * | `ID_CONFLICT` | an id was recorded again with different content |
 * | `CAPACITY_EXCEEDED` | the outbox is full and its policy is `reject` |
 * | `STORAGE_FAILED` | SQLite refused or failed (disk full, corrupt file, unwritable path) |
 * | `SCHEMA_TOO_NEW` | the database was written by a newer Hubline schema than this one knows |
 * | `OUTBOX_CLOSED` | the outbox was used after `close()` |
 * | `ILLEGAL_TRANSITION` | a lifecycle event does not follow from the entry's state |
 * | `NOT_FOUND` | an id is not in the outbox |
 * | `TRANSPORT_FAILED` | a request failed before an HTTP answer (timeout, reset, offline) |
 * | `HTTP_ERROR` | HubSpot answered with an unexpected status |
 * | `UNAUTHORIZED` | HubSpot refused the access token and no fresh one worked |
 * | `FORBIDDEN` | the token lacks a scope HubSpot requires |
 * | `DEAD_LETTERED` | an awaited event was dead-lettered |
 * | `ENGINE_STOPPED` | the sync engine was stopped while something waited on it |
 * | `TOKEN_ENDPOINT_UNREACHABLE` | the OAuth token endpoint could not be reached (no connection, timeout): treat as offline |
 * | `TOKEN_ENDPOINT_FAILED` | the OAuth token endpoint answered with a 5xx, a 429 or something that is not a token: back off |
 * | `NOT_AN_OUTBOX` | the database file belongs to another application; the outbox leaves it untouched |
 * | `NATIVE_ADDON_MISSING` | better-sqlite3's native addon is not built for this runtime (the message says how to build it) |
 */
export const HublineErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  ID_CONFLICT: 'ID_CONFLICT',
  CAPACITY_EXCEEDED: 'CAPACITY_EXCEEDED',
  STORAGE_FAILED: 'STORAGE_FAILED',
  SCHEMA_TOO_NEW: 'SCHEMA_TOO_NEW',
  OUTBOX_CLOSED: 'OUTBOX_CLOSED',
  ILLEGAL_TRANSITION: 'ILLEGAL_TRANSITION',
  NOT_FOUND: 'NOT_FOUND',
  TRANSPORT_FAILED: 'TRANSPORT_FAILED',
  HTTP_ERROR: 'HTTP_ERROR',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  DEAD_LETTERED: 'DEAD_LETTERED',
  ENGINE_STOPPED: 'ENGINE_STOPPED',
  TOKEN_ENDPOINT_UNREACHABLE: 'TOKEN_ENDPOINT_UNREACHABLE',
  TOKEN_ENDPOINT_FAILED: 'TOKEN_ENDPOINT_FAILED',
  NOT_AN_OUTBOX: 'NOT_AN_OUTBOX',
  NATIVE_ADDON_MISSING: 'NATIVE_ADDON_MISSING',
} as const;

/** One of the stable error codes in {@link HublineErrorCode}. */
export type HublineErrorCode = (typeof HublineErrorCode)[keyof typeof HublineErrorCode];
