/**
 * @hubline/core — the pure heart of Hubline: the timeline event model and its validation, monotonic ids,
 * HubSpot's wire dialects and the interpretation of their answers, the event-sourced delivery lifecycle,
 * retry timing and the error table. No I/O, no clock.
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
export { canonicalJson } from './event/canonical-json.js';
export { eventByteLength, utf8ByteLength } from './event/event-byte-length.js';
export { DEFAULT_MAX_EVENT_BYTES, EVENT_LIMITS } from './event/limits.js';
export type { NormalizedEvent } from './event/normalize-event.js';
export { normalizeEvent, normalizeEventWithJson } from './event/normalize-event.js';
export type { NormalizeEventOptions } from './event/normalize-event-options.js';
export type { SameEventContentOptions } from './event/same-event-content.js';
export { hasOwnTimestamp, sameEventContent } from './event/same-event-content.js';
export type { ParsedTimelineEventInput } from './event/schema.js';
export { TIMELINE_EVENT_FIELDS, TIMELINE_IFRAME_FIELDS, timelineEventInputSchema } from './event/schema.js';
export { timestampSchema } from './event/timestamp.js';
export { tokenNameSchema, tokenValueSchema, toTokenString } from './event/token-value.js';
export type {
  JsonObject,
  JsonValue,
  TimelineEvent,
  TimelineEventInput,
  TimelineIFrame,
  TokenValue,
} from './event/types.js';
export type { IdFactoryOptions } from './ids/create-id-factory.js';
export { createIdFactory } from './ids/create-id-factory.js';
export type {
  AttemptPolicy,
  ClaimCommand,
  DeadLetterReport,
  FailureReport,
  ReleaseReport,
  SettleCommand,
} from './lifecycle/decide.js';
export {
  decideClaim,
  decideClockStep,
  decideDeadLetter,
  decideEvict,
  decideExpire,
  decideFailure,
  decideRecord,
  decideRelease,
  decideRequeue,
  decideSettle,
  MAX_ATTEMPTS_CATEGORY,
  maxAttemptsMessage,
} from './lifecycle/decide.js';
export type { TransitionRefusal, TransitionRefusalKind } from './lifecycle/evolve.js';
export { canTransition, checkTransition, evolve, fold, isClaimable, isTerminal } from './lifecycle/evolve.js';
export type {
  DeliveryEvidence,
  EntryState,
  EntryStatus,
  LifecycleEvent,
  LifecycleEventType,
  ReleaseReason,
} from './lifecycle/types.js';
export type { Logger } from './logging/logger.js';
export { isLogger, silentLogger } from './logging/logger.js';
export type { RandomSource } from './random/create-seeded-random.js';
export { createSeededRandom } from './random/create-seeded-random.js';
export type { Backoff, BackoffOptions } from './retry/backoff.js';
export { backoffDelay, createBackoff } from './retry/backoff.js';
export { MAX_DELAY_MS } from './store/limits.js';
export type {
  AccountDue,
  BudgetPause,
  BudgetStore,
  ChangeSignal,
  ChangeSubscription,
  ClaimedEntry,
  ClaimOptions,
  DeliveryStore,
  MaybePromise,
  OutboxStats,
  Release,
  Settlement,
  SettleResult,
  StoredEntry,
} from './store/types.js';
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
export type { AlreadyExistsEvidence } from './wire/already-exists.js';
export { isAlreadyExists } from './wire/already-exists.js';
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
