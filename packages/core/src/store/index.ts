/**
 * @hubline/core/store — what every store of Hubline is built from, and what a delivery engine speaks to it in:
 *
 * - the storage port ({@link DeliveryStore}) and its vocabulary (claims, settlements, releases, stats), with the
 *   words every store's own API shares (history records, dead-letter pages, prune options, capacity policies);
 * - the event-sourced delivery lifecycle: the pure `evolve`/`fold` reducer over {@link LifecycleEvent}s and the
 *   `decide*` command handlers that are the only place its policies (attempts, leases, evictions) live;
 * - the kit a store implements the port with, so that every store checks its arguments, maps outcomes to
 *   lifecycle events, watches its clock and stores its log alike: argument and outcome validation, event
 *   preparation, the clock watch, the lifecycle codec, the projection's derived columns and counters.
 *
 * The errors a store throws and the event types the port names are exported here too, the same as from
 * `@hubline/core`.
 *
 * Apps use a store (`@hubline/outbox`, `@hubline/postgres`), which re-exports the types its API names; this entry
 * is for the stores themselves, the sync engine, and anyone writing a store of their own (prove it with
 * `describeStoreContract` from `@hubline/outbox/contract`). Pure like the rest of core: no I/O, no clock.
 *
 * @packageDocumentation
 */

export type { CapacityLimit } from '../errors/capacity-error.js';
export { CapacityError } from '../errors/capacity-error.js';
export { IdConflictError } from '../errors/id-conflict-error.js';
export { LifecycleError } from '../errors/lifecycle-error.js';
export { StorageError } from '../errors/storage-error.js';
export type { ValidationIssue } from '../errors/validation-error.js';
export { ValidationError } from '../errors/validation-error.js';
export { DEFAULT_ACCOUNT, isAccount } from '../event/account.js';
export type { NormalizedEvent } from '../event/normalize-event.js';
export { normalizeEventWithJson } from '../event/normalize-event.js';
export type { SameEventContentOptions } from '../event/same-event-content.js';
export { hasOwnTimestamp, sameEventContent } from '../event/same-event-content.js';
export type { TimelineEvent, TimelineEventInput, TimelineEventPatch } from '../event/types.js';
export type {
  Amendment,
  AttemptPolicy,
  ClaimCommand,
  DeadLetterReport,
  FailureReport,
  ReleaseReport,
  SettleCommand,
} from '../lifecycle/decide.js';
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
  maxAttemptsMessage,
} from '../lifecycle/decide.js';
export type { TransitionRefusal, TransitionRefusalKind } from '../lifecycle/evolve.js';
export {
  canTransition,
  checkTransition,
  evolve,
  fold,
  isClaimable,
  isTerminal,
} from '../lifecycle/evolve.js';
export type {
  DeliveryEvidence,
  EntryState,
  EntryStatus,
  LifecycleEvent,
  LifecycleEventType,
  ReleaseReason,
} from '../lifecycle/types.js';
export { checkedClock } from '../store-kit/clock/checked-clock.js';
export type { ClockReading } from '../store-kit/clock/clock-watch.js';
export { highestSteadyMark, readClock } from '../store-kit/clock/clock-watch.js';
export { ACCEPT_EVERY_TEMPLATE, isTemplateChecker } from '../store-kit/decisions/accept-every-template.js';
export type { WindowSlot } from '../store-kit/decisions/budget-window.js';
export { decideTake, HELD_SLOT_WINDOWS, slotEndsAt } from '../store-kit/decisions/budget-window.js';
export { capacityReason } from '../store-kit/decisions/capacity-reason.js';
export { releaseEvents, settlementEvents } from '../store-kit/decisions/outcome-events.js';
export type { PreparedAmendment } from '../store-kit/decisions/prepare-amendment.js';
export { prepareAmendment } from '../store-kit/decisions/prepare-amendment.js';
export type { PreparedEvent } from '../store-kit/decisions/prepare-event.js';
export { prepareEvent } from '../store-kit/decisions/prepare-event.js';
export { StoredClaimedEntry } from '../store-kit/storage/claimed-entry.js';
export { decodeEvent, encodeEventData } from '../store-kit/storage/lifecycle-codec.js';
export { backlogAtOf, CounterDelta, dueAtOf, isOpenStatus } from '../store-kit/storage/projection.js';
export { describeValue } from '../store-kit/validation/describe-value.js';
export type { NumberRule } from '../store-kit/validation/number-rules.js';
export { LIMIT, NON_NEGATIVE_INTEGER, POSITIVE_INTEGER } from '../store-kit/validation/number-rules.js';
export {
  assertAccount,
  assertBudgetKey,
  assertBudgetPause,
  assertBudgetSlot,
  assertBudgetWindow,
  assertClaimOptions,
  assertDiscardOptions,
  assertId,
  assertInputArray,
  assertListDeadOptions,
  assertPruneOptions,
  assertRequeueIds,
} from '../store-kit/validation/validate-arguments.js';
export { assertReleases, assertSettlements } from '../store-kit/validation/validate-outcomes.js';
export { assertRequeue } from '../store-kit/validation/validate-requeue.js';
export { MAX_DELAY_MS } from './limits.js';
export type {
  CapacityPolicy,
  DiscardOptions,
  Eviction,
  HistoryRecord,
  ListDeadOptions,
  PruneOptions,
  RequeueOptions,
  RequeueTarget,
} from './records.js';
export { PRUNE_DEFAULTS } from './records.js';
export type {
  AccountDue,
  BudgetPause,
  BudgetStore,
  BudgetTake,
  BudgetWindow,
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
} from './types.js';
