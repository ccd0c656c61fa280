import type { TimelineEvent } from '@hubline/core';
import type { HistoryRecord, StoredEntry } from '@hubline/outbox';
import { describeLifecycle, type HistoryStep } from './describe-lifecycle.js';

/** A dead letter as the dashboard lists it (`GET /api/dead`). */
export interface DeadLetterView {
  /** The event's id. */
  readonly id: string;
  /** The template it was sent with. */
  readonly eventTemplateId: string;
  /** The contact's email or the object id. */
  readonly subject: string;
  /** HubSpot's reason (or the engine's, after too many attempts). */
  readonly reason: string;
  /** Failures that counted against the retry budget (0 for an event HubSpot refused at once). */
  readonly attempts: number;
  /** Requests that carried it, the refused one included (see {@link describeLifecycle}). */
  readonly sends: number;
  /** Epoch ms of the dead-lettering. */
  readonly at: number;
}

/** One event's whole story, for the dashboard's search box (`GET /api/events/:id`). */
export interface LifecycleView {
  /** The event's id. */
  readonly id: string;
  /** The outbox's status: `pending`, `leased`, `delivered`, `dead` or `evicted`. */
  readonly status: string;
  /** Failures that counted against the retry budget. */
  readonly attempts: number;
  /** Requests that carried it, answered or lost (see {@link describeLifecycle}). */
  readonly sends: number;
  /** Where it stands, in one line a person can act on. */
  readonly headline: string;
  /** The last failure's reason, `null` when it never failed. */
  readonly lastError: string | null;
  /** The event as recorded (the JSON sent to HubSpot). */
  readonly event: unknown;
  /** Each lifecycle step with a sentence saying what happened. */
  readonly history: readonly HistoryStep[];
}

/** An event recorded by this run, for the dashboard's list of recent ids (`GET /api/recent`). */
export interface RecentEventView {
  /** The event's id. */
  readonly id: string;
  /** The template it was recorded with. */
  readonly eventTemplateId: string;
  /** The contact's email or the object id. */
  readonly subject: string;
  /** The outbox's status now: `pending`, `leased`, `delivered`, `dead` or `evicted`. */
  readonly status: string;
  /** Epoch ms of recording. */
  readonly at: number;
}

/** An id this run recorded, and when (epoch ms). */
export interface RememberedId {
  /** The event's id. */
  readonly id: string;
  /** When it was recorded, epoch ms. */
  readonly at: number;
}

/** Who or what an event is about, as the dashboard lists it: the contact's email or the object id. */
const subjectOf = (event: TimelineEvent): string => event.email ?? event.objectId ?? event.utk ?? '';

/**
 * A dead letter for the dashboard's list.
 *
 * @param entry - the dead entry, as `outbox.listDead()` returns it
 * @param history - `outbox.history(entry.id)`, to count the requests that carried it
 */
export function deadLetterView(entry: StoredEntry, history: readonly HistoryRecord[]): DeadLetterView {
  return {
    id: entry.id,
    eventTemplateId: entry.event.eventTemplateId,
    subject: subjectOf(entry.event),
    reason: entry.lastError ?? 'unknown',
    attempts: entry.attempts,
    sends: describeLifecycle(entry.status, history).sends,
    at: entry.updatedAt,
  };
}

/**
 * One event's story, in words, for the dashboard's search box.
 *
 * @param entry - `outbox.get(id)`
 * @param history - `outbox.history(id)`
 */
export function lifecycleView(entry: StoredEntry, history: readonly HistoryRecord[]): LifecycleView {
  const { sends, headline, steps } = describeLifecycle(entry.status, history);
  return {
    id: entry.id,
    status: entry.status,
    attempts: entry.attempts,
    sends,
    headline,
    lastError: entry.lastError,
    event: entry.event,
    history: steps,
  };
}

/**
 * The dashboard's recent events: the newest, then one at least `spacingMs` older than the last one picked, and so
 * on. At 100 events/s the very latest events are all still pending, and a list of them would show nothing of what
 * happens next. Ids the outbox no longer has (pruned) are passed over.
 *
 * @param remembered - this run's ids, oldest first
 * @param limit - at most this many views
 * @param spacingMs - the least gap between two picked events' recording times
 * @param get - the outbox entry of an id (`outbox.get`)
 * @returns the picked events, newest first
 */
export function pickRecent(
  remembered: readonly RememberedId[],
  limit: number,
  spacingMs: number,
  get: (id: string) => StoredEntry | undefined,
): RecentEventView[] {
  const views: RecentEventView[] = [];
  let before = Number.POSITIVE_INFINITY;
  for (let index = remembered.length - 1; index >= 0 && views.length < limit; index -= 1) {
    const candidate = remembered[index]!;
    if (candidate.at > before) continue;
    const entry = get(candidate.id);
    if (entry === undefined) continue;
    before = candidate.at - spacingMs;
    views.push({
      id: entry.id,
      eventTemplateId: entry.event.eventTemplateId,
      subject: subjectOf(entry.event),
      status: entry.status,
      at: entry.recordedAt,
    });
  }
  return views;
}
