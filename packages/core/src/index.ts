/**
 * @hubline/core — what an app records and what HubSpot answers: the timeline event model and its validation,
 * event templates, monotonic ids, HubSpot's wire dialects and the interpretation of their answers, retry timing
 * and the error table. Pure: no I/O, no clock.
 *
 * What stores are built from — the storage port, the delivery lifecycle and the kit that implements one — is
 * the second entry, `@hubline/core/store`.
 *
 * @packageDocumentation
 */

export type { CapacityLimit } from './errors/capacity-error.js';
export { CapacityError } from './errors/capacity-error.js';
export { HublineErrorCode } from './errors/codes.js';
export { DeliveryError } from './errors/delivery-error.js';
export type { HublineErrorOptions } from './errors/hubline-error.js';
export { HublineError, isHublineError } from './errors/hubline-error.js';
export { IdConflictError } from './errors/id-conflict-error.js';
export { LifecycleError } from './errors/lifecycle-error.js';
export { StorageError } from './errors/storage-error.js';
export type { ValidationIssue } from './errors/validation-error.js';
export { ValidationError } from './errors/validation-error.js';
export { DEFAULT_ACCOUNT, isAccount } from './event/account.js';
export { eventByteLength, utf8ByteLength } from './event/event-byte-length.js';
export { EVENT_LIMITS, NORMALIZE_DEFAULTS } from './event/limits.js';
export { normalizeEvent } from './event/normalize-event.js';
export type { NormalizeEventOptions } from './event/normalize-event-options.js';
export type {
  JsonObject,
  JsonValue,
  TimelineEvent,
  TimelineEventInput,
  TimelineEventPatch,
  TimelineIFrame,
  TokenValue,
} from './event/types.js';
export type { IdFactoryOptions } from './ids/create-id-factory.js';
export { createIdFactory } from './ids/create-id-factory.js';
export { MAX_ATTEMPTS_CATEGORY } from './lifecycle/decide.js';
export type { Logger } from './logging/logger.js';
export { isLogger, silentLogger } from './logging/logger.js';
export type { RandomSource } from './random/create-seeded-random.js';
export { createSeededRandom } from './random/create-seeded-random.js';
export type { Backoff, BackoffOptions } from './retry/backoff.js';
export { backoffDelay, createBackoff } from './retry/backoff.js';
export { assertTemplateFit } from './templates/assert-template-fit.js';
export { createTemplateCatalog } from './templates/create-template-catalog.js';
export { declareTemplates } from './templates/declare-templates.js';
export { parseTemplateList } from './templates/parse-template-list.js';
export type { TemplateCatalogOptions } from './templates/template-catalog-options.js';
export type { DateTokenFormat } from './templates/token-value-fit.js';
export type {
  TemplateCatalog,
  TemplateChecker,
  TemplateDeclaration,
  TemplateToken,
  TemplateTokenDeclaration,
  TemplateTokenOption,
  TemplateTokenOptionDeclaration,
  TemplateTokenType,
  TimelineEventTemplate,
} from './templates/types.js';
export type { AppEventsDialectOptions } from './wire/app-events-dialect.js';
export {
  APP_EVENTS_BATCH_PATH,
  appEventsDialect,
  createAppEventsDialect,
} from './wire/app-events-dialect.js';
export type { InterpretOptions } from './wire/interpret-options.js';
export { PAYLOAD_TOO_LARGE_CATEGORY } from './wire/outcomes.js';
export { parseRetryAfter, readRateLimitHeaders, readRateLimitPolicy } from './wire/rate-limit-headers.js';
export type {
  EventOutcome,
  GlobalSignal,
  HttpAnswer,
  Interpretation,
  InterpretContext,
  RateLimitInfo,
  RateLimitPolicy,
  ReadBackInterpretation,
  ReadBackVerdict,
  SentEvent,
  TransportFailureKind,
  WireDialect,
  WireRequest,
} from './wire/types.js';
export type { V3DialectOptions } from './wire/v3-dialect.js';
export {
  createV3Dialect,
  V3_BATCH_PATH,
  V3_EVENTS_PATH,
  V3_LEGACY_BATCH_PATH,
  V3_LEGACY_EVENTS_PATH,
  v3Dialect,
} from './wire/v3-dialect.js';
